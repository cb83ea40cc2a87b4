package dev.mole.contracts.experiment;

/** An experiment's state as the catalog records it. */
public enum ExperimentStatus {
    RUNNING,
    /** Every arm and seed has its result. */
    COMPLETED,
    /** Some arms or seeds failed; the others' results are kept. A retry reruns only those that failed. */
    PARTIAL,
    /** No arm or seed has a result, or a stage before them (dataset) failed. */
    FAILED,
    /** Stopped on request; results finished before are kept. */
    CANCELLED
}
