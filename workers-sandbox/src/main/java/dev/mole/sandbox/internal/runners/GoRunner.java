package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.HostFiles;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code go test -c} in GOPATH mode against Debian's gocode tree (testify offline), then the test binary. Cgo stays at
 * its default (on): Go 1.19 ships the standard library precompiled for that setting, and a cgo program only gets a C
 * compiler inside the same sandbox, like any C++ program. The cached runner starts each program's GOCACHE as hard links to a
 * cache warmed at start (testify and the standard packages compiled): the links point at root-owned read-only files, so
 * a program can add entries to its own copy but never alter what the next program gets.
 */
public final class GoRunner implements LanguageRunner {
    private final Toolchain tc;
    private final Path warmCache;

    /** @param warmCache a warmed GOCACHE directory, or null to start every program from an empty cache */
    public GoRunner(Toolchain tc, Path warmCache) {
        this.tc = tc;
        this.warmCache = warmCache;
    }

    /** The environment of the compile step; the warm-up must use the same, or its cache entries do not match. */
    public static Map<String, String> goEnv(String gocache, SandboxPolicy policy) {
        Map<String, String> env = new HashMap<>(BubblewrapLauncher.baseEnv());
        env.put("GO111MODULE", "off");
        env.put("GOPATH", "/usr/share/gocode");
        env.put("GOPROXY", "off");
        env.put("GOCACHE", gocache);
        env.put("GOTMPDIR", "/tmp");
        env.put("GOMAXPROCS", Integer.toString((int) Math.max(1, Math.ceil(policy.cpuCores()))));
        return env;
    }

    public static List<String> buildArgs(String go, String output) {
        return List.of(go, "test", "-c", "-vet=off", "-ldflags=-s -w", "-o", output, ".");
    }

    @Override
    public Language language() {
        return Language.GO;
    }

    @Override
    public void prepare(RunDirs dirs) throws IOException {
        Path cache = dirs.out().resolve("gocache");
        if (warmCache != null && Files.isDirectory(warmCache)) {
            HostFiles.linkTree(warmCache, cache);
        } else {
            Files.createDirectories(cache);
        }
        HostFiles.chownDirectories(cache, dirs.hostUid());
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        return Optional.of(new SandboxStep(buildArgs(tc.go(), RunDirs.OUT + "/prog.test"), goEnv(RunDirs.OUT + "/gocache", policy),
                List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.writable(dirs.out(), RunDirs.OUT)), RunDirs.SRC,
                policy.compileWallClock(), false));
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        Map<String, String> env = new HashMap<>(BubblewrapLauncher.baseEnv());
        env.put("GOMAXPROCS", Integer.toString((int) Math.max(1, Math.ceil(policy.cpuCores()))));
        // go test passes this flag to every test binary it runs (since Go 1.16): os.Exit(0) during a test then panics
        // and fails the test instead of ending the run with status 0. Running the binary ourselves, we must pass it.
        return new SandboxStep(List.of(RunDirs.OUT + "/prog.test", "-test.paniconexit0"), env,
                List.of(Mount.readOnly(dirs.out(), RunDirs.OUT)), "/tmp", policy.runWallClock(), false);
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.go(), "version");
    }
}
