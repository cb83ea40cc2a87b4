package dev.mole.contracts.training;

/**
 * What a training activity heartbeats: its seed (the seeds of a run train as parallel activities, and a pending
 * activity's description does not carry its input) and the latest progress. The console reads it from the workflow's
 * pending activities to show live progress bars and loss curves.
 */
public record TrainingHeartbeat(long seed, TrainingProgress progress) {}
