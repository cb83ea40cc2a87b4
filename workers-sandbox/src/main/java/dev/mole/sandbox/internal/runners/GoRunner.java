package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.HostFiles;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A test binary as {@code go test -c} builds it in GOPATH mode against Debian's gocode tree (testify offline), then
 * the binary. Cgo stays at its default (on): Go 1.19 ships the standard library precompiled for that setting, and a cgo
 * program only gets a C compiler inside the same sandbox, like any C++ program.
 *
 * <p>The cached runner builds with moletest (a resource, built at warm-up): it generates go test's _testmain.go and
 * calls the compiler and linker directly against a read-only warm cache (testify compiled) and the standard library's
 * archives, which halves a build's CPU time (go test spent ~0.3 s loading testify's dependencies and checking the
 * standard library for staleness). Whatever it does not reproduce exactly, it hands to go test, with a private copy of
 * the warm cache. Without moletest (or in the naive runner) each program gets go test and a GOCACHE of hard links to the
 * warm cache (root-owned files: a program can add entries to its own copy but never alter what the next one gets), or
 * an empty one.
 */
public final class GoRunner implements LanguageRunner {
    /** moletest and its import config, in the warm directory; mounted at {@link #TOOL_DIR}. */
    public static final String TOOL = "moletest";
    public static final String IMPORTCFG = "importcfg";
    public static final String TOOL_DIR = RunDirs.CACHE + "/go";
    private final Toolchain tc;
    private final Path warmCache;
    private final List<Path> warmFiles;
    private final Path toolDir;

    /**
     * @param warmCache a warmed GOCACHE directory, or null to start every program from an empty cache
     * @param toolDir the directory holding moletest, its import config and {@code warmCache} as "cache", or null
     */
    public GoRunner(Toolchain tc, Path warmCache, Path toolDir) {
        this.tc = tc;
        this.warmCache = warmCache != null && Files.isDirectory(warmCache) ? warmCache : null;
        this.toolDir = this.warmCache == null ? null : toolDir;
        this.warmFiles = this.warmCache == null || this.toolDir != null ? List.of() : listFiles(this.warmCache);
    }
    /** The warm cache does not change after warm-up, so its listing is read once. */
    private static List<Path> listFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).map(root::relativize).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the warm Go cache " + root, e);
        }
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
        if (toolDir != null) {
            return; // moletest reads the warm cache where it is mounted, and copies it itself if it falls back
        }
        // Only the ~30 subdirectories that hold entries: go creates the other of its 256 itself (cache.Open), and
        // making, chowning and deleting all of them here cost the worker ~0.2 s of CPU per program.
        Path cache = dirs.out().resolve("gocache");
        Files.createDirectories(cache);
        for (Path f : warmFiles) {
            Path target = cache.resolve(f.toString());
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, warmCache.resolve(f));
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(warmCache.resolve(f), target);
            }
        }
        HostFiles.chownDirectories(cache, dirs.hostUid());
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        String binary = RunDirs.OUT + "/prog.test";
        List<String> goTest = buildArgs(tc.go(), binary);
        List<Mount> mounts = new ArrayList<>(List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.writable(dirs.out(), RunDirs.OUT)));
        List<String> argv;
        if (toolDir != null) {
            argv = new ArrayList<>(List.of(TOOL_DIR + "/" + TOOL, "-importcfg", TOOL_DIR + "/" + IMPORTCFG,
                    "-warmcache", TOOL_DIR + "/cache", "-o", binary, "--"));
            argv.addAll(goTest);
            mounts.add(Mount.readOnly(toolDir, TOOL_DIR));
        } else {
            argv = goTest;
        }
        return Optional.of(new SandboxStep(argv, goEnv(RunDirs.OUT + "/gocache", policy), mounts, RunDirs.SRC,
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
