package dev.mole.orchestrator.curation;

import dev.mole.contracts.curation.CurationRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
        Path dir = Files.createTempDirectory("mole-curation-bench-");
        Path input = dir.resolve("glaive-like.jsonl");
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = startHeapSampler(peakHeap);
        try {
            long t0 = System.nanoTime();
            long size = new GlaiveLikeGenerator(42).withMalformedShare(0.001).write(input, rows);
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "generated %,d rows, %,d bytes (%.1f MB) in %.2f s%n", rows, size,
                    size / 1e6, (t1 - t0) / 1e9);

            CurationRequest request = CurationRequest.of(input.toString());
            CurationEngine engine = new CurationEngine(request, dir);
            SplitPlan plan;
            long t2 = System.nanoTime();
            try (RowSource source = RowSources.open(input, "auto", "question", "answer")) {
                plan = engine.plan(source, CurationProgress.none());
            }
            long t3 = System.nanoTime();
            CurationOutput output;
            try (RowSource source = RowSources.open(input, "auto", "question", "answer")) {
                output = engine.write(source, plan, new DirectoryShardSink(dir.resolve("out")), null,
                        CurationProgress.none());
            }
            long t4 = System.nanoTime();
            sampler.interrupt();
            sampler.join();

            CurationStatistics s = output.statistics();
            double plan_s = (t3 - t2) / 1e9;
            double write_s = (t4 - t3) / 1e9;
            long shardBytes = output.shards().stream().mapToLong(ShardInfo::bytes).sum();
            System.out.printf(Locale.ROOT, "plan pass : %.2f s, %,.0f rows/s, %.1f MB/s%n", plan_s, rows / plan_s,
                    size / 1e6 / plan_s);
            System.out.printf(Locale.ROOT, "write pass: %.2f s, %,.0f rows/s, %.1f MB/s%n", write_s, rows / write_s,
                    size / 1e6 / write_s);
            System.out.printf(Locale.ROOT, "overall   : %.2f s, %,.0f rows/s (plan + write)%n", plan_s + write_s,
                    rows / (plan_s + write_s));
            System.out.printf(Locale.ROOT, "kept %,d of %,d rows (train %,d, validation %,d); %d shards, %,d bytes%n",
                    s.keptRows(), s.inputRows(), s.trainRows(), s.validationRows(), output.shards().size(),
                    shardBytes);
            System.out.println("dropped: " + s.droppedByReason());
            for (CurationStatistics.LanguageRow l : s.languages()) {
                System.out.printf(Locale.ROOT, "  %-7s %,9d samples (%,d train, %,d validation)%n", l.displayName(),
                        l.samples(), l.trainSamples(), l.validationSamples());
            }
            System.out.printf(Locale.ROOT, "peak heap used: %.1f MB (max heap %.0f MB)%n", peakHeap.get() / 1e6,
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

    private static Thread startHeapSampler(AtomicLong peak) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
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
