package dev.mole.contracts;

/** Temporal task queues. Each kind of worker polls exactly one, so capacity scales per kind of hardware. */
public final class TaskQueues {
    /** Workflows and CPU-bound activities (dataset curation, bookkeeping). */
    public static final String CPU = "mole-cpu";
    /** Model compute: SVD initialisation, finetuning, generation. */
    public static final String GPU = "mole-gpu";
    /** Untrusted program execution. */
    public static final String SANDBOX = "mole-sandbox";

    private TaskQueues() {}
}
