package dev.mole.sandbox.bench;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.language.Language;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code ./mole bench sandbox}: runs HumanEvalPack's canonical solutions with the parallel cached runner and with a
 * naive sequential runner without compile caches (same sandbox, same limits), in one process, and prints programs/s
 * for each and their ratio. Options:
 * <pre>
 *   --languages cpp,go,java,js,python,rust   (default: all)
 *   --limit N          first N tasks per language (default: all 164)
 *   --mode both|cached|naive                  (default: both)
 *   --parallelism N    slots of the cached runner (default: the cores + 1)
 *   --per-language     the cached runner takes one language at a time: rate and CPU per program of each
 *   --buggy            also run the buggy solutions with the cached runner and list any that pass
 *   --repeat TASK=N    run one task's canonical solution N times (nondeterminism check, e.g. Go/95=20)
 *   --tasks ID,ID      only these task ids (e.g. CPP/22,Go/10)
 * </pre>
 * The naive runner: one program at a time; C++ compiles without precompiled headers, Go starts
 * from an empty build cache, Java compiles with javac and runs in a second JVM. Rust links the same prebuilt crates in
 * both runners (building rand and regex for each program would take ~10 s apiece).
 */
public final class SandboxBench {

    /** Null where cgroup v1's cpuacct is not writable: then only the wall-clock rate is printed. */
    private static OwnCpuTime cpu;

    public static void main(String[] args) {
        Options o = Options.parse(args);
        cpu = OwnCpuTime.start();
        try {
            run(o);
        } finally {
            if (cpu != null) {
                cpu.close();
            }
        }
    }

    private static void run(Options o) {
        List<HumanEvalTask> tasks = new ArrayList<>();
        for (Language l : o.languages) {
            List<HumanEvalTask> all = HumanEvalPack.load(l);
            if (!o.tasks.isEmpty()) {
                all = all.stream().filter(t -> o.tasks.contains(t.taskId())).toList();
            }
            tasks.addAll(all.subList(0, Math.min(o.limit, all.size())));
        }
        List<SandboxProgram> canonical = tasks.stream().map(HumanEvalTask::canonicalProgram).toList();
        System.out.println("HumanEvalPack from " + HumanEvalPack.source() + ": " + canonical.size() + " canonical programs, languages "
                + o.languages.stream().map(Language::id).collect(Collectors.joining(",")));

        SandboxConfig base = SandboxConfig.defaults().withLanguages(o.languages);
        if (o.parallelism > 0) {
            base = base.withParallelism(o.parallelism);
        }
        Double cachedRate = null;
        Double naiveRate = null;
        if (o.mode.equals("both") || o.mode.equals("cached")) {
            try (Sandbox sandbox = Sandbox.start(base)) {
                System.out.println(sandbox.report().render());
                cachedRate = o.perLanguage ? perLanguage(sandbox, canonical)
                        : measure("cached parallel (" + base.parallelism() + " slots)", sandbox, canonical, true);
                if (o.buggy) {
                    List<SandboxProgram> buggy = tasks.stream().map(HumanEvalTask::buggyProgram).toList();
                    List<SandboxResult> results = sandbox.runAll(buggy, r -> { });
                    printBuggy(results);
                }
                for (Map.Entry<String, Integer> rep : o.repeats.entrySet()) {
                    repeat(sandbox, rep.getKey(), rep.getValue());
                }
            }
        }
        if (o.mode.equals("both") || o.mode.equals("naive")) {
            SandboxConfig naive = base.withParallelism(1).withCompileCaches(false);
            try (Sandbox sandbox = Sandbox.start(naive)) {
                if (cachedRate == null) {
                    System.out.println(sandbox.report().render());
                }
                naiveRate = measure("naive sequential, no compile caches", sandbox, canonical, false);
            }
        }
        if (cachedRate != null && naiveRate != null) {
            System.out.printf("%nRESULT cached parallel %.2f programs/s, naive sequential %.2f programs/s, ratio %.1fx"
                    + " (load average now %s)%n", cachedRate, naiveRate, cachedRate / naiveRate, loadAverage());
        }
    }

    private static double measure(String label, Sandbox sandbox, List<SandboxProgram> programs, boolean parallel) {
        System.out.println("== " + label + ": " + programs.size() + " programs; load average before: " + loadAverage());
        AtomicInteger done = new AtomicInteger();
        long[] cpuBefore = machineCpuTicks();
        long ownBefore = cpu == null ? -1 : cpu.nanos();
        long start = System.nanoTime();
        List<SandboxResult> results;
        if (parallel) {
            results = sandbox.runAll(programs, r -> progress(done.incrementAndGet(), programs.size()));
        } else {
            results = new ArrayList<>();
            for (SandboxProgram p : programs) {
                results.add(sandbox.run(p));
                progress(done.incrementAndGet(), programs.size());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = programs.size() / seconds;
        long[] cpuAfter = machineCpuTicks();
        long ownAfter = cpu == null ? -1 : cpu.nanos();
        System.out.printf("%s: %d programs in %.1f s = %.2f programs/s%n", label, programs.size(), seconds, rate);
        // The rate depends on what else runs on the machine: these say how contended the cores were.
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("  load average after: %s; machine CPU busy %s over the run (%d cores, all processes)%n",
                loadAverage(), busyShare(cpuBefore, cpuAfter), cores);
        if (ownBefore >= 0 && ownAfter >= ownBefore) {
            double cpuSeconds = (ownAfter - ownBefore) / 1e9;
            System.out.printf("  CPU of the runner and its sandboxes: %.1f s = %.0f ms per program; CPU-bound rate on %d idle"
                    + " cores: %.2f programs/s%n", cpuSeconds, 1000 * cpuSeconds / programs.size(), parallel ? cores : 1,
                    programs.size() / (cpuSeconds / (parallel ? cores : 1)));
        }
        printSummary(results);
        return rate;
    }

    /**
     * Each language's programs on their own, one language after the other, on all slots: wall-clock rate and the CPU
     * the runner and its sandboxes spent per program, so the costliest language is visible. The total rate is all
     * programs over the sum of the phases' wall clocks (the mixed run interleaves languages and may differ a little).
     */
    private static double perLanguage(Sandbox sandbox, List<SandboxProgram> programs) {
        Map<String, List<SandboxProgram>> byLanguage = programs.stream().collect(Collectors.groupingBy(SandboxProgram::language,
                TreeMap::new, Collectors.toList()));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("== per language, " + sandbox.config().parallelism() + " slots (language, programs, wall, rate,"
                + " CPU of the runner and its sandboxes per program, the rate that CPU allows on idle cores, verdicts, load average)");
        double wall = 0;
        double cpuSeconds = 0;
        for (Map.Entry<String, List<SandboxProgram>> e : byLanguage.entrySet()) {
            String before = loadAverage();
            long ownBefore = cpu == null ? -1 : cpu.nanos();
            long start = System.nanoTime();
            List<SandboxResult> results = sandbox.runAll(e.getValue(), r -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            double own = cpu == null ? Double.NaN : (cpu.nanos() - ownBefore) / 1e9;
            wall += seconds;
            cpuSeconds += own;
            int n = e.getValue().size();
            System.out.println(String.format("  %-10s %4d  %7.1f s  %6.2f/s  %6.0f ms CPU/program  %6.2f/s CPU-bound on %d cores  PASS %d/%d"
                    + "  (load %s -> %s)", e.getKey(), n, seconds, n / seconds, 1000 * own / n, n / (own / cores), cores,
                    results.stream().filter(SandboxResult::passed).count(), n, before, loadAverage()));
            results.stream().filter(r -> !r.passed()).forEach(r -> System.out.println("    NOT PASSING " + r.taskId() + " " + r.verdict()
                    + ": " + r.reason() + " | " + oneLine(r.stderr().isBlank() ? r.stdout() : r.stderr())));
        }
        System.out.printf("  %-10s %4d  %7.1f s  %6.2f/s  %6.0f ms CPU/program  %6.2f/s CPU-bound on %d cores%n", "all",
                programs.size(), wall, programs.size() / wall, 1000 * cpuSeconds / programs.size(),
                programs.size() / (cpuSeconds / cores), cores);
        return programs.size() / wall;
    }

    /** /proc/loadavg's 1, 5 and 15 minute figures. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Busy and total jiffies of all cores from /proc/stat's first line, or null. */
    private static long[] machineCpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String busyShare(long[] before, long[] after) {
        if (before == null || after == null || after[1] <= before[1]) {
            return "unknown";
        }
        return String.format("%.0f%%", 100.0 * (after[0] - before[0]) / (after[1] - before[1]));
    }

    private static void progress(int done, int total) {
        if (done % 50 == 0 || done == total) {
            System.out.println("  ... " + done + "/" + total);
        }
    }

    private static void printSummary(List<SandboxResult> results) {
        Map<String, Map<SandboxVerdict, Integer>> byLanguage = new TreeMap<>();
        Map<String, long[]> timing = new TreeMap<>();
        for (SandboxResult r : results) {
            byLanguage.computeIfAbsent(r.language(), k -> new EnumMap<>(SandboxVerdict.class)).merge(r.verdict(), 1, Integer::sum);
            long[] t = timing.computeIfAbsent(r.language(), k -> new long[3]);
            t[0] += r.compileMillis();
            t[1] += r.runMillis();
            t[2]++;
        }
        byLanguage.forEach((l, counts) -> {
            long[] t = timing.get(l);
            System.out.printf("  %-6s %s   mean compile %d ms, mean run %d ms%n", l, counts, t[0] / t[2], t[1] / t[2]);
        });
        long pass = results.stream().filter(SandboxResult::passed).count();
        System.out.println("  canonical PASS " + pass + "/" + results.size());
        results.stream().filter(r -> !r.passed()).forEach(r -> System.out.println("  NOT PASSING " + r.taskId() + " "
                + r.verdict() + ": " + r.reason() + " | " + oneLine(r.stderr().isBlank() ? r.stdout() : r.stderr())));
    }

    private static void printBuggy(List<SandboxResult> results) {
        long failed = results.stream().filter(r -> !r.passed()).count();
        Map<SandboxVerdict, Long> verdicts = results.stream().collect(Collectors.groupingBy(SandboxResult::verdict,
                () -> new EnumMap<>(SandboxVerdict.class), Collectors.counting()));
        System.out.println("== buggy solutions: " + failed + "/" + results.size() + " do not pass " + verdicts);
        results.stream().filter(SandboxResult::passed).forEach(r -> System.out.println("  BUGGY BUT PASSING " + r.taskId()));
    }

    private static void repeat(Sandbox sandbox, String taskId, int times) {
        HumanEvalTask task = HumanEvalPack.task(taskId);
        List<SandboxProgram> copies = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            copies.add(task.program(taskId + "/canonical#" + i, task.canonicalSolution()));
        }
        Map<SandboxVerdict, Long> verdicts = sandbox.runAll(copies, r -> { }).stream().collect(Collectors.groupingBy(
                SandboxResult::verdict, () -> new EnumMap<>(SandboxVerdict.class), Collectors.counting()));
        System.out.println("== " + taskId + " canonical run " + times + " times: " + verdicts);
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 240 ? t.substring(0, 240) + "..." : t;
    }

    private record Options(Set<Language> languages, int limit, String mode, int parallelism, boolean buggy,
                           Map<String, Integer> repeats, Set<String> tasks, boolean perLanguage) {
        static Options parse(String[] args) {
            Set<Language> languages = EnumSet.copyOf(Language.humanEvalPack());
            int limit = Integer.MAX_VALUE;
            String mode = "both";
            int parallelism = 0;
            boolean buggy = false;
            boolean perLanguage = false;
            Map<String, Integer> repeats = new TreeMap<>();
            Set<String> tasks = new java.util.HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = a.contains("=") && a.startsWith("--") && !a.startsWith("--repeat") ? a.substring(a.indexOf('=') + 1) : null;
                String key = v != null ? a.substring(0, a.indexOf('=')) : a;
                switch (key) {
                    case "--languages" -> {
                        String list = v != null ? v : args[++i];
                        languages = EnumSet.noneOf(Language.class);
                        for (String s : list.split(",")) {
                            languages.add(Language.parseHumanEvalPack(s));
                        }
                    }
                    case "--limit" -> limit = Integer.parseInt(v != null ? v : args[++i]);
                    case "--mode" -> mode = v != null ? v : args[++i];
                    case "--parallelism" -> parallelism = Integer.parseInt(v != null ? v : args[++i]);
                    case "--buggy" -> buggy = true;
                    case "--per-language" -> perLanguage = true;
                    case "--tasks" -> tasks.addAll(List.of((v != null ? v : args[++i]).split(",")));
                    case "--repeat" -> {
                        String[] kv = args[++i].split("=");
                        repeats.put(kv[0], Integer.parseInt(kv[1]));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: " + Arrays.asList(
                            "--languages", "--limit", "--mode", "--parallelism", "--buggy", "--per-language", "--repeat", "--tasks"));
                }
            }
            if (!Set.of("both", "cached", "naive").contains(mode)) {
                throw new IllegalArgumentException("--mode must be both, cached or naive");
            }
            return new Options(languages, limit, mode, parallelism, buggy, repeats, tasks, perLanguage);
        }
    }
}
