package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.CgroupLimits;
import dev.mole.sandbox.internal.CompileCaches;
import dev.mole.sandbox.internal.HostFiles;
import dev.mole.sandbox.internal.JavacServers;
import dev.mole.sandbox.internal.ProgramExecution;
import dev.mole.sandbox.internal.RunsDirectory;
import dev.mole.sandbox.internal.ToolchainProbe;
import dev.mole.sandbox.internal.runners.CppRunner;
import dev.mole.sandbox.internal.runners.GoRunner;
import dev.mole.sandbox.internal.runners.JavaRunner;
import dev.mole.sandbox.internal.runners.JsRunner;
import dev.mole.sandbox.internal.runners.LanguageRunner;
import dev.mole.sandbox.internal.runners.PythonRunner;
import dev.mole.sandbox.internal.runners.RustRunner;
import dev.mole.sandbox.internal.runners.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox of one worker: detects isolation and toolchains at start, warms compile caches, then runs programs in
 * parallel slots (one more than the cores by default), each slot with its own host uid.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    /** javac servers take the uids after the slots' (see SandboxConfig): both must fit the uids of one worker. */
    private static final int MAX_SLOTS_WITH_JAVAC_SERVERS = SandboxConfig.UIDS_PER_WORKER / 2;

    private final SandboxConfig config;
    private final Map<Language, LanguageRunner> runners;
    private final ProgramExecution execution;
    private final SandboxReport report;
    private final BlockingQueue<Integer> slots;
    private final RunsDirectory runsDir;
    private final ExecutorService pool;
    private final JavacServers javacServers;

    private Sandbox(SandboxConfig config, Map<Language, LanguageRunner> runners, ProgramExecution execution,
                    SandboxReport report, RunsDirectory runsDir, JavacServers javacServers) {
        this.config = config;
        this.javacServers = javacServers;
        this.runners = runners;
        this.execution = execution;
        this.report = report;
        this.runsDir = runsDir;
        this.slots = new ArrayBlockingQueue<>(config.parallelism());
        for (int i = 0; i < config.parallelism(); i++) {
            slots.add(i);
        }
        this.pool = Executors.newFixedThreadPool(config.parallelism(), Thread.ofPlatform().name("sandbox-slot-", 0).daemon().factory());
    }

    public static Sandbox start(SandboxConfig config) {
        for (String tool : List.of("/usr/bin/bwrap", "/usr/bin/prlimit", "/usr/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException("sandbox prerequisite missing: " + tool
                        + " (Debian packages bubblewrap and util-linux; run .ci/install-prerequisites)");
            }
        }
        if (!isRoot()) {
            throw new IllegalStateException("the sandbox worker must start as root: it runs each slot under its own"
                    + " unprivileged uid (setpriv) and creates cgroups; running bubblewrap as a shared uid would let"
                    + " programs of different slots signal and starve each other");
        }
        Path work = config.workDir();
        Path runsRoot = work.resolve("runs");
        RunsDirectory runs;
        try {
            Files.createDirectories(runsRoot);
            HostFiles.chmod(work, "rwx--x--x");
            HostFiles.chmod(runsRoot, "rwx--x--x");
            BubblewrapLauncher.writeEtc(work.resolve("etc"));
            HostFiles.chmod(work.resolve("etc"), "rwxr-xr-x");
            runs = RunsDirectory.open(runsRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare sandbox work directory " + work, e);
        }
        Toolchain tc = Toolchain.detect();
        CgroupLimits cgroups = CgroupLimits.detect();
        CompileCaches warmed = CompileCaches.warm(work.resolve("cache"), tc, config.policy(), config.languages(),
                config.nodeModules());
        CompileCaches caches = config.compileCaches() ? warmed : warmed.withoutCaches();
        BubblewrapLauncher launcher = new BubblewrapLauncher("/usr/bin/bwrap", "/usr/bin/prlimit", "/usr/bin/setpriv", work.resolve("etc"));
        JavacServers javacServers = caches.javacServer() == null || config.parallelism() > MAX_SLOTS_WITH_JAVAC_SERVERS ? null
                : new JavacServers(launcher, cgroups, config.policy(), JavaRunner.serverStep(tc, config.policy(), caches.javacServer()),
                        config.parallelism());
        Map<Language, LanguageRunner> runners = new EnumMap<>(Language.class);
        runners.put(Language.CPP, new CppRunner(tc, caches.pchDir()));
        runners.put(Language.GO, new GoRunner(tc, caches.goCache(), caches.goTool()));
        runners.put(Language.JAVA, new JavaRunner(tc, caches.javacServer(), javacServers));
        runners.put(Language.JAVASCRIPT, new JsRunner(tc, caches.nodeModules()));
        runners.put(Language.PYTHON, new PythonRunner(tc));
        if (caches.rustDeps() != null) {
            runners.put(Language.RUST, new RustRunner(tc, caches.rustDeps(), caches.rustExterns(), caches.rustStdDylibs()));
        }
        runners.keySet().retainAll(config.languages());
        ProgramExecution execution = new ProgramExecution(launcher, cgroups, config.policy());
        ToolchainProbe probe = new ToolchainProbe(execution, config.firstUid(), caches);
        List<ToolchainStatus> toolchains = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            if (config.languages().contains(l)) {
                toolchains.add(probe.probe(l, runners.get(l)));
            }
        }
        runners.keySet().removeIf(l -> toolchains.stream().noneMatch(t -> t.language() == l && t.available()));
        SandboxReport report = new SandboxReport(toolchains, limitsInForce(config, cgroups, javacServers != null), caches.notes());
        LOG.info("{}", report.render());
        return new Sandbox(config, runners, execution, report, runs, javacServers);
    }

    public SandboxReport report() {
        return report;
    }

    public SandboxConfig config() {
        return config;
    }

    /** Runs one program on the calling thread, waiting for a free slot. */
    public SandboxResult run(SandboxProgram program) {
        int slot;
        try {
            slot = slots.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(program, "interrupted while waiting for a sandbox slot");
        }
        try {
            return runInSlot(program, slot);
        } finally {
            slots.add(slot);
        }
    }

    /** Runs all programs on the slot pool; results come back in input order, {@code onEach} sees each as it finishes. */
    public List<SandboxResult> runAll(List<SandboxProgram> programs, Consumer<SandboxResult> onEach) {
        List<Future<SandboxResult>> futures = new ArrayList<>(Collections.nCopies(programs.size(), null));
        for (int i : interleavedByLanguage(programs)) {
            SandboxProgram p = programs.get(i);
            futures.set(i, pool.submit(() -> {
                SandboxResult r = run(p);
                onEach.accept(r);
                return r;
            }));
        }
        List<SandboxResult> results = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.add(futures.get(i).get());
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running programs", e);
            } catch (ExecutionException e) {
                results.add(error(programs.get(i), "sandbox failure: " + e.getCause()));
            }
        }
        return results;
    }

    /**
     * Submission order: one program of each language in turn, each language in its input order. A batch usually comes
     * one language after another; taking them in turn keeps the slots' mix of phases even (compiler-bound C++ and Rust
     * beside interpreters whose run is mostly sandbox set-up) instead of running a long stretch of one kind.
     */
    static List<Integer> interleavedByLanguage(List<SandboxProgram> programs) {
        Map<String, ArrayDeque<Integer>> byLanguage = new LinkedHashMap<>();
        for (int i = 0; i < programs.size(); i++) {
            byLanguage.computeIfAbsent(programs.get(i).language(), k -> new ArrayDeque<>()).add(i);
        }
        List<Integer> order = new ArrayList<>(programs.size());
        while (order.size() < programs.size()) {
            for (ArrayDeque<Integer> q : byLanguage.values()) {
                if (!q.isEmpty()) {
                    order.add(q.poll());
                }
            }
        }
        return order;
    }

    private SandboxResult runInSlot(SandboxProgram program, int slot) {
        Language language;
        try {
            language = Language.parseHumanEvalPack(program.language());
        } catch (IllegalArgumentException e) {
            return error(program, e.getMessage());
        }
        LanguageRunner runner = runners.get(language);
        if (runner == null) {
            return error(program, "no usable " + language.id() + " toolchain on this worker (see the start-up report)");
        }
        AssembledProgram assembled;
        try {
            assembled = ProgramAssembler.forLanguage(language).assemble(program);
        } catch (RuntimeException e) {
            return error(program, "cannot assemble program: " + e.getMessage());
        }
        String name = runsDir.newRunName();
        return execution.execute(program, assembled, runner, runsDir.resolve(name), name, config.firstUid() + slot);
    }

    private static SandboxResult error(SandboxProgram p, String reason) {
        return new SandboxResult(p.id(), p.language(), p.taskId(), SandboxVerdict.SANDBOX_ERROR, reason, -1, "", "", 0, 0);
    }

    private static List<String> limitsInForce(SandboxConfig config, CgroupLimits cgroups, boolean javacServers) {
        SandboxPolicy p = config.policy();
        boolean memCg = cgroups.controllers().contains("memory");
        boolean pidsCg = cgroups.controllers().contains("pids");
        long mib = 1024 * 1024;
        return List.of(
                "bubblewrap: new user, pid, mount, ipc, uts, cgroup" + (p.networkAllowed() ? "" : ", network")
                        + " namespaces; uid/gid 65534 inside, all capabilities dropped, new session, dies with its parent",
                "host uids " + config.firstUid() + ".." + (config.firstUid() + config.parallelism() - 1) + " (one per slot; "
                        + config.parallelism() + " slots)" + (javacServers ? "; the slots' javac servers "
                        + (config.firstUid() + config.parallelism()) + ".." + (config.firstUid() + 2 * config.parallelism() - 1)
                        + " (compile only, same sandbox and limits, each program still runs in a fresh sandbox)" : ""),
                "filesystem: /usr and a few /etc entries read-only, program files read-only, private tmpfs /tmp of "
                        + p.scratchBytes() / mib + " MiB; nothing else of the host",
                "network: " + (p.networkAllowed() ? "host network SHARED (policy allows it)" : "none (own loopback only)"),
                cgroups.describe(),
                "memory: " + p.memoryBytes() / mib + " MiB per run " + (memCg ? "(cgroup, OOM kill)" : "(RLIMIT_AS, where the runtime tolerates it)"),
                "processes: " + p.maxProcesses() + " per run " + (pidsCg ? "(cgroup pids.max and RLIMIT_NPROC)" : "(RLIMIT_NPROC per slot uid)"),
                "cpu: " + p.cpuTime().toSeconds() + " s CPU per process (RLIMIT_CPU)"
                        + (cgroups.controllers().contains("cpu") ? ", " + p.cpuCores() + " core(s) bandwidth (cgroup)" : ""),
                "wall clock: compile " + p.compileWallClock().toSeconds() + " s, run " + p.runWallClock().toSeconds()
                        + " s; at the limit the whole process tree is killed",
                "files: " + p.maxFileBytes() / mib + " MiB per file (RLIMIT_FSIZE), " + p.maxOpenFiles() + " open files, no core dumps",
                "output: " + p.maxOutputBytes() + " bytes stdout+stderr, " + p.keptOutputBytes() + " bytes kept per stream");
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return false;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        if (javacServers != null) {
            javacServers.close();
        }
        runsDir.close();
    }
}
