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
 * for C++ precompiled headers, a JVM class-data archive, a warm Go build cache with testify, and the Rust crates. They are built on the
 * host from trusted inputs only, then mounted read-only (or hard-linked, for Go) into the sandbox.
 */
public final class CompileCaches {
    /** Bump when a recipe changes so old caches are rebuilt. */
    private static final String RECIPE = "5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path pchDir;
    private final Path javaCds;
    private final Path goCache;
    private final Path rustDeps;
    private final Map<String, String> rustExterns;
    private final List<String> notes;

    private CompileCaches(Path pchDir, Path javaCds, Path goCache, Path rustDeps, Map<String, String> rustExterns, List<String> notes) {
        this.pchDir = pchDir;
        this.javaCds = javaCds;
        this.goCache = goCache;
        this.rustDeps = rustDeps;
        this.rustExterns = rustExterns;
        this.notes = notes;
    }

    /** Directory of per-include-list C++ precompiled headers, or null (then no precompiled headers). */
    public Path pchDir() {
        return pchDir;
    }

    /** Directory with the JVM's class-data-sharing archive for the source launcher, or null. */
    public Path javaCds() {
        return javaCds;
    }

    public Path goCache() {
        return goCache;
    }

    public Path rustDeps() {
        return rustDeps;
    }

    public Map<String, String> rustExterns() {
        return rustExterns;
    }

    public List<String> notes() {
        return notes;
    }

    public static CompileCaches warm(Path root, Toolchain tc, SandboxPolicy policy, Set<Language> languages) {
        List<String> notes = new ArrayList<>();
        try {
            Files.createDirectories(root);
            HostFiles.chmod(root, "rwxr-xr-x");
            try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) { // several workers or test JVMs on one machine share the caches
                Path pch = languages.contains(Language.CPP) ? warmCpp(root, tc, notes) : null;
                Path cds = languages.contains(Language.JAVA) ? warmJava(root, tc, policy, notes) : null;
                Path go = languages.contains(Language.GO) ? warmGo(root, tc, policy, notes) : null;
                Path rustDir = languages.contains(Language.RUST) ? rustDir(root, tc) : null;
                Map<String, String> externs = rustDir != null ? warmRust(rustDir, tc, notes) : Map.of();
                Path deps = externs.isEmpty() ? null : rustDir.resolve("target/debug/deps");
                makeWorldReadable(root);
                return new CompileCaches(pch, cds, go, deps, externs, notes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare compile caches in " + root, e);
        }
    }

    /** Empty caches: what the naive runner uses (the Rust crates are still needed to compile at all). */
    public CompileCaches withoutCaches() {
        return new CompileCaches(null, null, null, rustDeps, rustExterns, notes);
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

    private static Path warmJava(Path root, Toolchain tc, SandboxPolicy policy, List<String> notes) throws IOException {
        List<String> flags = JavaRunner.jvmFlags(policy);
        String key = stampKey(List.of(tc.java(), "-version"), flags.toString());
        Path dir = versioned(root, "java", key);
        if (ready(dir, key)) {
            return dir;
        }
        HostFiles.deleteTree(dir);
        Files.createDirectories(dir);
        // A program shaped like HumanEvalPack's Java ones, so the archive holds the compiler and collection classes they load.
        Files.writeString(dir.resolve("Main.java"), """
                import java.util.*;
                import java.util.stream.*;
                import java.lang.*;

                public class Main {
                    public static void main(String[] args) {
                        Solution s = new Solution();
                        List<Boolean> correct = Arrays.asList(s.f(Arrays.asList(3, 1, 2)).equals(List.of(1, 2, 3)));
                        if (correct.contains(false)) {
                            throw new AssertionError();
                        }
                    }
                }

                class Solution {
                    public List<Integer> f(List<Integer> l) {
                        Map<Integer, String> m = new HashMap<>();
                        String t = String.join(",", l.stream().map(String::valueOf).collect(Collectors.toList()));
                        m.put(t.length(), new StringBuilder(t).reverse().toString());
                        List<Integer> r = new ArrayList<>(l);
                        Collections.sort(r);
                        return r;
                    }
                }
                """);
        List<String> cmd = new ArrayList<>(List.of(tc.java()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + dir.resolve(JavaRunner.CDS_ARCHIVE), "Main.java"));
        HostCommand.Result r = HostCommand.run(cmd, dir, BubblewrapLauncher.baseEnv(), 300);
        if (!r.ok() || !Files.isRegularFile(dir.resolve(JavaRunner.CDS_ARCHIVE))) {
            notes.add("Java CDS archive not built (each JVM loads javac from scratch): " + firstLine(r.output()));
            return null;
        }
        markReady(dir, key);
        return dir;
    }

    private static Path warmGo(Path root, Toolchain tc, SandboxPolicy policy, List<String> notes) throws IOException {
        String key = stampKey(List.of(tc.go(), "version"), GoRunner.buildArgs("go", "x").toString());
        Path dir = versioned(root, "go", key);
        Path cache = dir.resolve("cache");
        if (ready(dir, key)) {
            return cache;
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
        markReady(dir, key);
        return cache;
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
        StringBuilder sb = new StringBuilder();
        for (String r : List.of("rust/rand07_lib.rs", "rust/rand07_Cargo.toml", "rust/deps_Cargo.toml", "rust/workspace_Cargo.toml")) {
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
