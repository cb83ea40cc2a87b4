package dev.mole.contracts.training;

/** What the SVD stage heartbeats: projections done of all, and the seconds spent on them so far. */
public record SvdHeartbeat(int projectionsDone, int projections, double seconds) {}
