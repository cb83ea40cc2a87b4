package dev.mole.orchestrator.activities;

import dev.mole.orchestrator.curation.SplitPlan;
import dev.mole.orchestrator.curation.WriteCheckpoint;

/**
 * What the curate activity heartbeats: enough for a retry on another worker to skip the first pass and every shard
 * already stored. Small by construction (per-language thresholds and shard names), well under Temporal's limits.
 */
record CurationResume(SplitPlan plan, WriteCheckpoint checkpoint, String phase, long rows, long bytes) {}
