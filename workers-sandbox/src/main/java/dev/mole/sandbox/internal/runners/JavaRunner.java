package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.JavacServers;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.ProcessOutcome;
import dev.mole.sandbox.internal.SandboxStep;
import dev.mole.sandbox.internal.assembly.JavaAssembler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compile, then {@code java -cp out MoleTestsEntry} in a fresh JVM and sandbox of its own. The cached runner compiles on
 * the slot's warm javac server ({@link JavacServers}, settings of the single-file source launcher it replaces); when
 * the server cannot judge a program, the same compiler code runs once in the program's own sandbox instead. The naive
 * runner compiles with plain javac.
 *
 * <p>Why not the source launcher ({@code java Main.java}) any more: it starts a JVM that loads and warms javac for
 * every program, about 0.6 s of CPU each even with a CDS archive of the compiler. A warm javac compiles a HumanEvalPack
 * program in tens of milliseconds, and a JVM that only runs the program's classes costs about 60 ms.
 */
public final class JavaRunner implements LanguageRunner {
    public static final String SERVER_CLASS = "MoleJavacServer";
    private static final String SERVER_DIR = RunDirs.CACHE + "/javac-server";
    private final Toolchain tc;
    private final Path serverDir;
    private final JavacServers servers;

    /**
     * @param serverDir the compiled {@value #SERVER_CLASS}, or null: plain javac (the naive runner)
     * @param servers the slots' warm servers, or null to compile every program in a JVM of its own
     */
    public JavaRunner(Toolchain tc, Path serverDir, JavacServers servers) {
        this.tc = tc;
        this.serverDir = serverDir;
        this.servers = servers;
    }

    @Override
    public Language language() {
        return Language.JAVA;
    }

    /** JVM flags of the run step (and of the javac server), tuned for start-up: a HumanEvalPack test runs for milliseconds. */
    public static List<String> jvmFlags(SandboxPolicy policy) {
        long heapMb = Math.max(64, policy.memoryBytes() / (1024 * 1024) / 2);
        return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-XX:ActiveProcessorCount=1", "-Xmx" + heapMb + "m", "-Djava.io.tmpdir=/tmp");
    }

    /** The javac server's command; {@code serverDir} holds {@value #SERVER_CLASS}, compiled at warm-up. */
    public static SandboxStep serverStep(Toolchain tc, SandboxPolicy policy, Path serverDir) {
        return new SandboxStep(serverArgv(tc, policy, List.of()), BubblewrapLauncher.baseEnv(),
                List.of(Mount.readOnly(serverDir, SERVER_DIR)), "/tmp", policy.compileWallClock(), false);
    }

    private static List<String> serverArgv(Toolchain tc, SandboxPolicy policy, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(tc.java()));
        argv.addAll(jvmFlags(policy));
        argv.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-cp", SERVER_DIR, SERVER_CLASS));
        argv.addAll(args);
        return argv;
    }

    /**
     * With a server: the server's compiler, run once in the program's own sandbox (the fallback, same settings as the
     * server). Without (the naive runner): plain javac.
     */
    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        List<Mount> mounts = new ArrayList<>(List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.writable(dirs.out(), RunDirs.OUT)));
        List<String> argv;
        if (serverDir != null) {
            argv = serverArgv(tc, policy, List.of("--compile", RunDirs.SRC + "/" + JavaAssembler.MAIN, RunDirs.OUT));
            mounts.add(Mount.readOnly(serverDir, SERVER_DIR));
        } else {
            argv = List.of(tc.javac(), "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData", "-nowarn", "-d", RunDirs.OUT,
                    RunDirs.SRC + "/" + JavaAssembler.MAIN);
        }
        return Optional.of(new SandboxStep(argv, BubblewrapLauncher.baseEnv(), mounts, "/tmp", policy.compileWallClock(), false));
    }

    @Override
    public Optional<ProcessOutcome> compileWithoutStep(RunDirs dirs) {
        return servers == null ? Optional.empty() : servers.compile(dirs, JavaAssembler.MAIN);
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        List<String> argv = new ArrayList<>(List.of(tc.java()));
        argv.addAll(jvmFlags(policy));
        argv.addAll(List.of("-cp", RunDirs.OUT, JavaAssembler.ENTRY_CLASS));
        return new SandboxStep(argv, BubblewrapLauncher.baseEnv(), List.of(Mount.readOnly(dirs.out(), RunDirs.OUT)), "/tmp",
                policy.runWallClock(), false);
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.java(), "-version");
    }
}
