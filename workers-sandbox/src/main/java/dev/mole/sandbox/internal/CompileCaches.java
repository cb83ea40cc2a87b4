package dev.mole.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.runners.CppRunner;
import dev.mole.sandbox.internal.runners.GoRunner;
import dev.mole.sandbox.internal.runners.JavaRunner;
import dev.mole.sandbox.internal.runners.Toolchain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compile-time caches built once per machine (reused across worker restarts while the toolchain is unchanged): a place
 * for C++ precompiled headers, the compiled javac server, a warm Go build cache with testify, and the Rust crates. They
 * are built on the host from trusted inputs only, then mounted read-only (or hard-linked, for Go) into the sandbox.
 */
public final class CompileCaches {
    /** Bump when a recipe changes so old caches are rebuilt. */
    private static final String RECIPE = "5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVAC_SERVER = "java/MoleJavacServer.java";
    private static final String GO_TOOL = "go/moletest.go";

    private final Path pchDir;
    private final Path javacServer;
    private final Path goDir;
    private final Path rustDeps;
    private final Map<String, String> rustExterns;
    private final Path rustStdDylibs;
    private final Path nodeModules;
    private final List<String> notes;

    private CompileCaches(Path pchDir, Path javacServer, Path goDir, Path rustDeps, Map<String, String> rustExterns,
                          Path rustStdDylibs, Path nodeModules, List<String> notes) {
        this.pchDir = pchDir;
        this.javacServer = javacServer;
        this.goDir = goDir;
        this.rustDeps = rustDeps;
        this.rustExterns = rustExterns;
        this.rustStdDylibs = rustStdDylibs;
        this.nodeModules = nodeModules;
        this.notes = notes;
    }

    /** Directory of per-include-list C++ precompiled headers, or null (then no precompiled headers). */
    public Path pchDir() {
        return pchDir;
    }

    /** Directory with the compiled javac server ({@code MoleJavacServer}), or null. */
    public Path javacServer() {
        return javacServer;
    }

    /** The warmed GOCACHE, or null. */
    public Path goCache() {
        return goDir == null ? null : goDir.resolve("cache");
    }

    /** The directory with moletest, its import config and the warm cache (GoRunner mounts it), or null. */
    public Path goTool() {
        return goDir != null && Files.isExecutable(goDir.resolve(GoRunner.TOOL))
                && Files.isRegularFile(goDir.resolve(GoRunner.IMPORTCFG)) ? goDir : null;
    }

    public Path rustDeps() {
        return rustDeps;
    }

    public Map<String, String> rustExterns() {
        return rustExterns;
    }

    /** The toolchain's directory of libstd/libtest shared objects, or null (then programs link std statically). */
    public Path rustStdDylibs() {
        return rustStdDylibs;
    }

    /** The worker's copy of the vendored node_modules (JsRunner mounts it), or null. */
    public Path nodeModules() {
        return nodeModules;
    }

    public List<String> notes() {
        return notes;
    }

    /** @param nodeModules the vendored node_modules to copy in, or null */
    public static CompileCaches warm(Path root, Toolchain tc, SandboxPolicy policy, Set<Language> languages, Path nodeModules) {
        List<String> notes = new ArrayList<>();
        try {
            Files.createDirectories(root);
            HostFiles.chmod(root, "rwxr-xr-x");
            try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) { // several workers or test JVMs on one machine share the caches
                Path pch = languages.contains(Language.CPP) ? warmCpp(root, tc, notes) : null;
                Path javac = languages.contains(Language.JAVA) ? warmJava(root, tc, notes) : null;
                Path go = languages.contains(Language.GO) ? warmGo(root, tc, policy, notes) : null;
                Path rustDir = languages.contains(Language.RUST) ? rustDir(root, tc) : null;
                Map<String, String> externs = rustDir != null ? warmRust(rustDir, tc, notes) : Map.of();
                Path deps = externs.isEmpty() ? null : rustDir.resolve("target/debug/deps");
                Path stdDylibs = deps == null ? null : rustStdDylibs(tc, notes);
                Path node = languages.contains(Language.JAVASCRIPT) && nodeModules != null && Files.isDirectory(nodeModules)
                        ? copyNodeModules(root, nodeModules) : null;
                makeWorldReadable(root);
                return new CompileCaches(pch, javac, go, deps, externs, stdDylibs, node, notes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare compile caches in " + root, e);
        }
    }

    /** Empty caches: what the naive runner uses (the Rust crates are still needed to compile at all). */
    public CompileCaches withoutCaches() {
        return new CompileCaches(null, null, null, rustDeps, rustExterns, null, nodeModules, notes);
    }

    /**
     * The directory precompiled headers go to, one per distinct leading include list, built on demand inside the sandbox
     * by the first program that needs one (see CppRunner); here it is only created, versioned by compiler and flags.
     */
    private static Path warmCpp(Path root, Toolchain tc, List<String> notes) throws IOException {
        String key = stampKey(List.of(tc.gpp(), "--version"), CppRunner.FLAGS.toString());
        Path dir = versioned(root, "cpp-pch", key);
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * A copy of the vendored node_modules under the cache, keyed by its content. Mounted from where it was vendored,
     * its host path (in the repository, the host's working directory) would be visible inside the sandbox in
     * /proc/self/mountinfo and bubblewrap's arguments; from here the path says only what the README documents.
     */
    private static Path copyNodeModules(Path root, Path source) throws IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(source)) {
            files = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path f : files) {
            sha.update(source.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(f));
        }
        String key = java.util.HexFormat.of().formatHex(sha.digest());
        Path dir = versioned(root, "node", key);
        if (ready(dir, key)) {
            return dir.resolve("node_modules");
        }
        HostFiles.deleteTree(dir);
        for (Path f : files) { // regular files only: a symlink could point anywhere on the host
            Path target = dir.resolve("node_modules").resolve(source.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
        }
        markReady(dir, key);
        return dir.resolve("node_modules");
    }

    /** The javac server, compiled by the sandbox's own JDK (it may be older than the worker's). */
    private static Path warmJava(Path root, Toolchain tc, List<String> notes) throws IOException {
        String key = stampKey(List.of(tc.java(), "-version"), digest(List.of(JAVAC_SERVER)));
        Path dir = versioned(root, "javac-server", key);
        if (ready(dir, key)) {
            return dir;
        }
        HostFiles.deleteTree(dir);
        Files.createDirectories(dir.resolve("src"));
        copyResource(JAVAC_SERVER, dir.resolve("src/" + JavaRunner.SERVER_CLASS + ".java"));
        HostCommand.Result r = HostCommand.run(List.of(tc.javac(), "-nowarn", "-d", dir.toString(),
                dir.resolve("src/" + JavaRunner.SERVER_CLASS + ".java").toString()), dir, BubblewrapLauncher.baseEnv(), 300);
        if (!r.ok() || !Files.isRegularFile(dir.resolve(JavaRunner.SERVER_CLASS + ".class"))) {
            notes.add("javac server not built (each Java program starts its own compiler): " + firstLine(r.output()));
            return null;
        }
        markReady(dir, key);
        return dir;
    }

    private static Path warmGo(Path root, Toolchain tc, SandboxPolicy policy, List<String> notes) throws IOException {
        String key = stampKey(List.of(tc.go(), "version"), GoRunner.buildArgs("go", "x") + digest(List.of(GO_TOOL)));
        Path dir = versioned(root, "go", key);
        Path cache = dir.resolve("cache");
        if (ready(dir, key)) {
            return dir;
        }
        HostFiles.deleteTree(dir);
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.createDirectories(cache);
        // Every package the HumanEvalPack Go tests and solutions import, so a program compiles only itself.
        Files.writeString(src.resolve("warm_test.go"), """
                package main

                import (
                    "bytes"; "crypto/md5"; "encoding/hex"; "fmt"; "math"; "math/big"; "math/rand"; "reflect"; "regexp"
                    "sort"; "strconv"; "strings"; "testing"; "time"; "unicode"; "unicode/utf8"; "container/heap"
                    "github.com/stretchr/testify/assert"
                )

                var _ = []interface{}{bytes.Compare, md5.Sum, hex.EncodeToString, fmt.Sprint, math.Abs, big.NewInt, rand.Intn,
                    reflect.DeepEqual, regexp.MustCompile, sort.Ints, strconv.Itoa, strings.ToLower, time.Now, unicode.IsUpper,
                    utf8.RuneLen, heap.Init}

                func TestWarm(t *testing.T) { assert.New(t).Equal(1, 1) }
                """);
        Map<String, String> env = GoRunner.goEnv(cache.toString(), policy);
        HostCommand.Result r = HostCommand.run(GoRunner.buildArgs(tc.go(), dir.resolve("warm.test").toString()), src, env, 600);
        if (!r.ok()) {
            notes.add("Go build cache not warmed (every program compiles testify): " + firstLine(r.output()));
            return null;
        }
        Files.deleteIfExists(dir.resolve("warm.test"));
        buildGoTool(dir, tc, policy, notes);
        markReady(dir, key);
        return dir;
    }

    /**
     * moletest (see GoRunner) and its import config: every package of the standard library and of testify's closure,
     * by the path its compiled archive has inside the sandbox, where {@code dir} is mounted at {@code GoRunner.TOOL_DIR}.
     * Without it Go programs build with go test, as before.
     */
    private static void buildGoTool(Path dir, Toolchain tc, SandboxPolicy policy, List<String> notes) throws IOException {
        Path tool = dir.resolve("tool");
        Files.createDirectories(tool);
        copyResource(GO_TOOL, tool.resolve("moletest.go"));
        Map<String, String> env = new LinkedHashMap<>(BubblewrapLauncher.baseEnv());
        env.putAll(Map.of("GO111MODULE", "off", "GOPATH", tool.resolve("gopath").toString(), "GOPROXY", "off",
                "GOCACHE", tool.resolve("gocache").toString()));
        HostCommand.Result built = HostCommand.run(List.of(tc.go(), "build", "-o", dir.resolve(GoRunner.TOOL).toString(),
                "moletest.go"), tool, env, 600);
        HostFiles.deleteTree(tool.resolve("gocache"));
        if (!built.ok()) {
            notes.add("moletest not built (Go programs build with go test): " + firstLine(built.output()));
            Files.deleteIfExists(dir.resolve(GoRunner.TOOL));
            return;
        }
        Path cache = dir.resolve("cache");
        HostCommand.Result list = HostCommand.run(List.of(tc.go(), "list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}",
                "std", "github.com/stretchr/testify/assert"), tool, GoRunner.goEnv(cache.toString(), policy), 600);
        StringBuilder cfg = new StringBuilder();
        for (String line : list.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                continue; // unsafe and other packages without an archive
            }
            Path archive = Path.of(line.substring(eq + 1));
            String inside = archive.startsWith(cache) ? GoRunner.TOOL_DIR + "/cache/" + cache.relativize(archive)
                    : archive.startsWith("/usr") ? archive.toString() : null;
            if (inside == null) {
                continue; // neither in the warm cache nor under /usr: the sandbox could not read it
            }
            cfg.append("packagefile ").append(line, 0, eq).append('=').append(inside).append('\n');
        }
        if (!list.ok() || !cfg.toString().contains("packagefile github.com/stretchr/testify/assert=")) {
            notes.add("moletest import config not built (Go programs build with go test): " + firstLine(list.output()));
            Files.deleteIfExists(dir.resolve(GoRunner.TOOL));
            return;
        }
        Files.writeString(dir.resolve(GoRunner.IMPORTCFG), cfg.toString());
    }

    private static Path rustDir(Path root, Toolchain tc) {
        return versioned(root, "rust", rustKey(tc));
    }

    private static String rustKey(Toolchain tc) {
        return stampKey(List.of(tc.rustc(), "--version"), tc.cargo() + resourceDigest());
    }

    private static Map<String, String> warmRust(Path dir, Toolchain tc, List<String> notes) throws IOException {
        String key = rustKey(tc);
        Path externsFile = dir.resolve("externs.properties");
        if (ready(dir, key)) {
            return readExterns(externsFile);
        }
        HostFiles.deleteTree(dir);
        Files.createDirectories(dir.resolve("rand07/src"));
        Files.createDirectories(dir.resolve("deps/src"));
        Files.createDirectories(dir.resolve(".cargo"));
        copyResource("rust/workspace_Cargo.toml", dir.resolve("Cargo.toml"));
        copyResource("rust/cargo_config.toml", dir.resolve(".cargo/config.toml"));
        copyResource("rust/rand07_Cargo.toml", dir.resolve("rand07/Cargo.toml"));
        copyResource("rust/rand07_lib.rs", dir.resolve("rand07/src/lib.rs"));
        copyResource("rust/deps_Cargo.toml", dir.resolve("deps/Cargo.toml"));
        Files.writeString(dir.resolve("deps/src/lib.rs"), "// links the crates HumanEvalPack programs use\n");
        Map<String, String> env = new LinkedHashMap<>(BubblewrapLauncher.baseEnv());
        env.put("RUSTC", tc.rustc()); // never a rustup rustc first on PATH: rlibs must match the sandbox's rustc
        env.put("CARGO_HOME", dir.resolve("cargo-home").toString());
        env.put("CARGO_TARGET_DIR", dir.resolve("target").toString());
        HostCommand.Result r = HostCommand.run(List.of(tc.cargo(), "build", "--offline", "-p", "mole-deps", "--message-format=json"),
                dir, env, 900);
        Map<String, String> externs = new LinkedHashMap<>();
        for (String line : r.output().split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode m = JSON.readTree(line);
            if (!"compiler-artifact".equals(m.path("reason").asText())) {
                continue;
            }
            String pkg = m.path("package_id").asText();
            String name = m.path("target").path("name").asText();
            for (JsonNode f : m.path("filenames")) {
                String file = f.asText();
                if (!file.endsWith(".rlib")) {
                    continue;
                }
                boolean shim = name.equals("rand") && pkg.contains("0.7.99");
                if (shim || name.equals("regex") || name.equals("md5")) {
                    externs.put(name, Path.of(file).getFileName().toString());
                }
            }
        }
        if (!r.ok() || externs.size() != 3) {
            notes.add("Rust crates not built (Rust programs cannot compile): " + lastLines(r.output()));
            return Map.of();
        }
        Properties p = new Properties();
        p.putAll(externs);
        try (var out = Files.newOutputStream(externsFile)) {
            p.store(out, "crate -> rlib in target/debug/deps");
        }
        markReady(dir, key);
        return externs;
    }

    /**
     * Where rustc keeps libstd-*.so and libtest-*.so. Only a directory under /usr qualifies: the run step sees /usr
     * read-only and nothing else of the host, so that is where the program's rpath must point.
     */
    private static Path rustStdDylibs(Toolchain tc, List<String> notes) {
        HostCommand.Result r = HostCommand.run(List.of(tc.rustc(), "--print", "target-libdir"), Path.of("/"),
                BubblewrapLauncher.baseEnv(), 60);
        Path dir = r.ok() ? Path.of(firstLine(r.output())) : null;
        if (dir == null || !dir.isAbsolute() || !dir.normalize().startsWith("/usr")) {
            notes.add("Rust std not linked dynamically (slower links): no target-libdir under /usr: " + firstLine(r.output()));
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            if (names.stream().anyMatch(n -> n.startsWith("libstd-") && n.endsWith(".so"))
                    && names.stream().anyMatch(n -> n.startsWith("libtest-") && n.endsWith(".so"))) {
                return dir.normalize();
            }
        } catch (IOException e) {
            // reported below
        }
        notes.add("Rust std not linked dynamically (slower links): no libstd/libtest shared objects in " + dir);
        return null;
    }

    private static Map<String, String> readExterns(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = CompileCaches.class.getResourceAsStream("/dev/mole/sandbox/" + name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            Files.write(to, in.readAllBytes());
        }
    }

    private static String stampKey(List<String> versionCommand, String recipe) {
        HostCommand.Result r = HostCommand.run(versionCommand, Path.of("/"), BubblewrapLauncher.baseEnv(), 60);
        return RECIPE + "|" + recipe + "|" + firstLine(r.output());
    }

    /**
     * One directory per toolchain version and recipe ({@code go-3f2a...}): a worker started after an upgrade builds its
     * own beside the old one instead of deleting files that running workers still mount.
     */
    private static Path versioned(Path root, String name, String key) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return root.resolve(name + "-" + java.util.HexFormat.of().formatHex(h, 0, 6));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Rust shim's sources are part of the recipe: editing them must rebuild the crates. */
    private static String resourceDigest() {
        return digest(List.of("rust/rand07_lib.rs", "rust/rand07_Cargo.toml", "rust/deps_Cargo.toml", "rust/workspace_Cargo.toml"));
    }

    private static String digest(List<String> resources) {
        StringBuilder sb = new StringBuilder();
        for (String r : resources) {
            try (InputStream in = CompileCaches.class.getResourceAsStream("/dev/mole/sandbox/" + r)) {
                sb.append(in == null ? "missing" : Integer.toHexString(java.util.Arrays.hashCode(in.readAllBytes())));
            } catch (IOException e) {
                sb.append("unreadable");
            }
        }
        return sb.toString();
    }

    private static boolean ready(Path dir, String key) {
        try {
            return Files.readString(dir.resolve("READY"), StandardCharsets.UTF_8).equals(key);
        } catch (IOException e) {
            return false;
        }
    }

    private static void markReady(Path dir, String key) throws IOException {
        Files.writeString(dir.resolve("READY"), key, StandardCharsets.UTF_8);
    }

    /** The sandbox uids must read the caches; nothing in them is secret. */
    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                var perms = Files.getPosixFilePermissions(p);
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_READ);
                if (Files.isDirectory(p) || perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static String lastLines(String s) {
        String[] lines = s.strip().split("\n");
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
    }
}
