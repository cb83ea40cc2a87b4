package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
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
 */
public final class RustRunner implements LanguageRunner {
    private static final String DEPS = RunDirs.CACHE + "/rust/deps";
    private final Toolchain tc;
    private final Path depsDir;
    private final Map<String, String> externFiles;

    /**
     * @param depsDir host directory with the prebuilt rlibs
     * @param externFiles crate name -> rlib file name in {@code depsDir}
     */
    public RustRunner(Toolchain tc, Path depsDir, Map<String, String> externFiles) {
        this.tc = tc;
        this.depsDir = depsDir;
        this.externFiles = Map.copyOf(externFiles);
    }

    @Override
    public Language language() {
        return Language.RUST;
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        List<String> argv = new ArrayList<>(List.of(tc.rustc(), "--edition", "2021", "--test", "-C", "debuginfo=0",
                "-A", "warnings", "-o", RunDirs.OUT + "/prog", RunDirs.SRC + "/main.rs", "-L", "dependency=" + DEPS));
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
