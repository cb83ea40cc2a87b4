package dev.mole.gpu.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Another inference engine measured by {@link GenerationBench} on the same checkpoint and prompts. Found through
 * {@link java.util.ServiceLoader}, so an engine the GPU worker does not ship (Jlama, in the launcher module) is measured
 * when it is on the classpath and costs the worker nothing otherwise.
 */
public interface GenerationPeer {

    /** The engine's name and settings, for the report. */
    String name();

    /**
     * Loads the checkpoint and greedy-generates exactly {@code newTokens[i]} tokens after prompt i, one sequence at a
     * time with a KV cache (no stop token), after a warm-up of its own choosing that is not timed.
     *
     * @param threads compute threads, or 0 for the engine's default
     */
    Run generate(Path checkpoint, List<int[]> prompts, int[] newTokens, int threads) throws Exception;

    /**
     * @param seconds wall time of the timed generation, prefills included
     * @param cpuSeconds the process's CPU time over the same span (all of the engine's threads)
     * @param tokens what each prompt produced
     */
    record Run(double seconds, double cpuSeconds, List<int[]> tokens) {}

    /** CPU time of the whole process, for {@link Run#cpuSeconds}. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
