package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rustc --test} against crates prebuilt once at start (see RustCrates): rand (0.7 API shim over Debian's 0.8.5),
 * regex, md5, linked by {@code --extern} from a read-only deps directory, so only the program itself compiles and no
 * program can alter the shared crates. Tests run on one thread, one after the other in the order of their names: the
 * completion marker's test (see RustAssembler) relies on running last.
 *
 * <p>Linking was two thirds of a compile (rustc -Z time-passes: 1.5 s of 1.66 s under load): with the standard library
 * and libtest linked statically, the linker copies and garbage-collects all of std on every program. The cached runner
 * links them as the toolchain's own shared objects instead (rpath into the read-only /usr), with gold and without debug
 * sections, which cut a compile's CPU time from 0.64 s to 0.23 s. It also compiles the program as one codegen unit:
 * at opt-level 0 rustc splits a crate into up to 16 units and instantiates shared generics in each, more work in all
 * than one unit on the one core a compile gets (5 canonical programs: 1.71 s of CPU with the default, 1.23 s with one
 * unit). Nothing the program can observe changes: the same std, the same opt-level 0 with its overflow checks,
 * unwinding panics as before.
 */
public final class RustRunner implements LanguageRunner {
    private static final String DEPS = RunDirs.CACHE + "/rust/deps";
    private final Toolchain tc;
    private final Path depsDir;
    private final Map<String, String> externFiles;
    private final List<String> buildFlags;

    /**
     * @param depsDir host directory with the prebuilt rlibs
     * @param externFiles crate name -> rlib file name in {@code depsDir}
     * @param stdDylibDir the toolchain's directory with libstd/libtest shared objects (under /usr, so the run sees it),
     *     or null to link them statically (the naive runner)
     */
    public RustRunner(Toolchain tc, Path depsDir, Map<String, String> externFiles, Path stdDylibDir) {
        this.tc = tc;
        this.depsDir = depsDir;
        this.externFiles = Map.copyOf(externFiles);
        this.buildFlags = stdDylibDir == null ? List.of() : fastBuildFlags(stdDylibDir);
    }

    /** The cached runner's build flags; {@code --print target-libdir} locates {@code stdDylibDir}. */
    static List<String> fastBuildFlags(Path stdDylibDir) {
        List<String> flags = new ArrayList<>(List.of("-C", "prefer-dynamic", "-C", "link-arg=-Wl,-rpath," + stdDylibDir,
                "-C", "strip=debuginfo", "-C", "codegen-units=1"));
        if (Files.isExecutable(Path.of("/usr/bin/ld.gold"))) {
            flags.addAll(List.of("-C", "link-arg=-fuse-ld=gold"));
        }
        return flags;
    }

    @Override
    public Language language() {
        return Language.RUST;
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        List<String> argv = new ArrayList<>(List.of(tc.rustc(), "--edition", "2021", "--test", "-C", "debuginfo=0",
                "-A", "warnings", "-o", RunDirs.OUT + "/prog", RunDirs.SRC + "/main.rs", "-L", "dependency=" + DEPS));
        argv.addAll(buildFlags);
        externFiles.forEach((crate, file) -> argv.addAll(List.of("--extern", crate + "=" + DEPS + "/" + file)));
        return Optional.of(new SandboxStep(argv, BubblewrapLauncher.baseEnv(), List.of(Mount.readOnly(dirs.src(), RunDirs.SRC),
                Mount.writable(dirs.out(), RunDirs.OUT), Mount.readOnly(depsDir, DEPS)), "/tmp", policy.compileWallClock(), true));
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        Map<String, String> env = new HashMap<>(BubblewrapLauncher.baseEnv());
        env.put("RUST_BACKTRACE", "0");
        return new SandboxStep(List.of(RunDirs.OUT + "/prog", "--test-threads=1"), env,
                List.of(Mount.readOnly(dirs.out(), RunDirs.OUT)), "/tmp", policy.runWallClock(), true);
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.rustc(), "--version");
    }
}
