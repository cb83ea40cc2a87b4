package dev.mole.orchestrator.curation;

/** A shard as the manifest and checkpoints name it. */
public record ShardInfo(String name, String split, long rows, long bytes, String sha256) {}
