package dev.mole.orchestrator.curation;

import dev.mole.contracts.curation.CurationRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput benchmark: generates N Glaive-like rows (default 1,000,000) into a temp directory, runs plan + write to a
 * local directory sink, and prints rows/s per pass and overall, input size and peak heap used (sampled every 20 ms).
 * Run with a small {@code -Xmx} to show memory stays bounded. Args: {@code [rows] [--keep]}.
 */
public final class CurationBench {
    private CurationBench() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        boolean keep = args.length > 1 && args[1].equals("--keep");
        System.out.printf(Locale.ROOT, "%d CPUs, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path dir = Files.createTempDirectory("mole-curation-bench-");
        Path input = dir.resolve("glaive-like.jsonl");
        AtomicLong peakHeap = new AtomicLong();
        AtomicLong peakLive = new AtomicLong();
        Thread sampler = startHeapSampler(peakHeap, peakLive);
        try {
            long t0 = System.nanoTime();
            long size = new GlaiveLikeGenerator(42).withMalformedShare(0.001).write(input, rows);
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "generated %,d rows, %,d bytes (%.1f MB) in %.2f s%n", rows, size,
                    size / 1e6, (t1 - t0) / 1e9);

            CurationRequest request = CurationRequest.of(input.toString());
            CurationEngine engine = new CurationEngine(request, dir);
            SplitPlan plan;
            // process CPU time (engine thread, reader thread, GC, JIT): what the passes cost on a shared machine
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long c2 = os.getProcessCpuTime();
            long t2 = System.nanoTime();
            try (RowSource source = RowSources.open(input, "auto", "question", "answer")) {
                plan = engine.plan(source, CurationProgress.none());
            }
            long t3 = System.nanoTime();
            long c3 = os.getProcessCpuTime();
            CurationOutput output;
            try (RowSource source = RowSources.open(input, "auto", "question", "answer")) {
                output = engine.write(source, plan, new DirectoryShardSink(dir.resolve("out")), null,
                        CurationProgress.none());
            }
            long t4 = System.nanoTime();
            long c4 = os.getProcessCpuTime();
            sampler.interrupt();
            sampler.join();

            CurationStatistics s = output.statistics();
            double plan_s = (t3 - t2) / 1e9;
            double write_s = (t4 - t3) / 1e9;
            long shardBytes = output.shards().stream().mapToLong(ShardInfo::bytes).sum();
            double planCpu = (c3 - c2) / 1e9;
            double writeCpu = (c4 - c3) / 1e9;
            System.out.printf(Locale.ROOT, "plan pass : %.2f s wall, %,.0f rows/s, %.1f MB/s; %.2f s process CPU, "
                    + "%,.0f rows/CPU-s%n",
                    plan_s, rows / plan_s, size / 1e6 / plan_s, planCpu, rows / planCpu);
            System.out.printf(Locale.ROOT, "write pass: %.2f s wall, %,.0f rows/s, %.1f MB/s; %.2f s process CPU, "
                    + "%,.0f rows/CPU-s%n",
                    write_s, rows / write_s, size / 1e6 / write_s, writeCpu, rows / writeCpu);
            System.out.printf(Locale.ROOT, "overall   : %.2f s wall, %,.0f rows/s; %.2f s process CPU, %,.0f rows/CPU-s%n",
                    plan_s + write_s, rows / (plan_s + write_s), planCpu + writeCpu, rows / (planCpu + writeCpu));
            System.out.printf(Locale.ROOT, "kept %,d of %,d rows (train %,d, validation %,d); %d shards, %,d bytes%n",
                    s.keptRows(), s.inputRows(), s.trainRows(), s.validationRows(), output.shards().size(),
                    shardBytes);
            System.out.println("dropped: " + s.droppedByReason());
            for (CurationStatistics.LanguageRow l : s.languages()) {
                System.out.printf(Locale.ROOT, "  %-7s %,9d samples (%,d train, %,d validation)%n", l.displayName(),
                        l.samples(), l.trainSamples(), l.validationSamples());
            }
            System.out.printf(Locale.ROOT, "peak heap used: %.1f MB (garbage included); "
                    + "peak heap right after a GC: %.1f MB; "
                    + "max heap %.0f MB%n", peakHeap.get() / 1e6, peakLive.get() / 1e6,
                    Runtime.getRuntime().maxMemory() / 1e6);
            System.out.printf(Locale.ROOT, "split plan JSON: %,d bytes%n",
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(plan).length);
        } finally {
            sampler.interrupt();
            if (keep) {
                System.out.println("kept files in " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    /**
     * Samples heap used every 20 ms (garbage included), and listens to every collection for the heap in use right
     * after it (what survived: the engine's real footprint plus not-yet-collected old garbage).
     */
    private static Thread startHeapSampler(AtomicLong peak, AtomicLong peakLive) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(java.util.stream.Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long after = 0;
                        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (heapPools.contains(e.getKey())) {
                                after += e.getValue().getUsed();
                            }
                        }
                        peakLive.accumulateAndGet(after, Math::max);
                    }
                }, null, null);
            }
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
