package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.ProcessOutcome;
import dev.mole.sandbox.internal.SandboxStep;
import dev.mole.sandbox.internal.assembly.JavaAssembler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cached: one JVM per program with the single-file source launcher ({@code java Main.java} compiles in memory and
 * runs), tuned for start-up (serial GC, C1 only, no perf data file, a CDS archive of the compiler's classes). Naive: {@code javac} then {@code java}, two JVMs.
 */
public final class JavaRunner implements LanguageRunner {
    public static final String CDS_ARCHIVE = "javac.jsa";
    private final Toolchain tc;
    private final boolean singleFile;
    private final Path cdsDir;

    /**
     * @param singleFile true: {@code java Main.java}; false: javac, then java
     * @param cdsDir directory holding a class-data-sharing archive of the in-memory compiler (cuts JVM start-up and
     *     javac class loading roughly in half), or null
     */
    public JavaRunner(Toolchain tc, boolean singleFile, Path cdsDir) {
        this.tc = tc;
        this.singleFile = singleFile;
        this.cdsDir = cdsDir;
    }

    @Override
    public Language language() {
        return Language.JAVA;
    }

    /** JVM flags of the run step; the archive at warm-up is dumped with the same ones. */
    public static List<String> jvmFlags(SandboxPolicy policy) {
        long heapMb = Math.max(64, policy.memoryBytes() / (1024 * 1024) / 2);
        return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-XX:ActiveProcessorCount=1", "-Xmx" + heapMb + "m", "-Djava.io.tmpdir=/tmp");
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        if (singleFile) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>(List.of(tc.javac(), "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData", "-nowarn",
                "-d", RunDirs.OUT, RunDirs.SRC + "/Main.java"));
        return Optional.of(new SandboxStep(argv, BubblewrapLauncher.baseEnv(),
                List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.writable(dirs.out(), RunDirs.OUT)), "/tmp",
                policy.compileWallClock(), false));
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        List<String> argv = new ArrayList<>(List.of(tc.java()));
        argv.addAll(jvmFlags(policy));
        List<Mount> mounts = new ArrayList<>(List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.readOnly(dirs.out(), RunDirs.OUT)));
        if (cdsDir != null) {
            mounts.add(Mount.readOnly(cdsDir, RunDirs.CACHE + "/java"));
            argv.add("-XX:SharedArchiveFile=" + RunDirs.CACHE + "/java/" + CDS_ARCHIVE);
        }
        if (singleFile) {
            argv.add(RunDirs.SRC + "/Main.java");
        } else {
            argv.addAll(List.of("-cp", RunDirs.OUT, JavaAssembler.ENTRY_CLASS));
        }
        return new SandboxStep(argv, BubblewrapLauncher.baseEnv(), mounts, "/tmp", policy.runWallClock(), false);
    }

    /** The source launcher reports rejected source with this line and exit code 1, before the program could run. */
    @Override
    public boolean isCompileErrorInRun(ProcessOutcome outcome) {
        return singleFile && outcome.exitCode() == 1 && outcome.stderr().contains("error: compilation failed");
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.java(), "-version");
    }
}
