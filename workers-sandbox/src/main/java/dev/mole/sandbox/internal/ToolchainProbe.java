package dev.mole.sandbox.internal;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ToolchainStatus;
import dev.mole.sandbox.internal.runners.LanguageRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up check of one language: its version command must run inside the sandbox (which proves the binds, the uid
 * switch and the toolchain), and the libraries some tasks need are looked for, naming the package that brings them.
 */
public final class ToolchainProbe {
    private final ProgramExecution execution;
    private final int uid;
    private final CompileCaches caches;

    public ToolchainProbe(ProgramExecution execution, int uid, CompileCaches caches) {
        this.execution = execution;
        this.uid = uid;
        this.caches = caches;
    }

    public ToolchainStatus probe(Language language, LanguageRunner runner) {
        if (runner == null) {
            return new ToolchainStatus(language, false, language == Language.RUST
                    ? "Rust crates (rand, regex, md5) could not be built: see compile-cache notes" : "no runner", List.of());
        }
        List<String> warnings = new ArrayList<>();
        switch (language) {
            case CPP -> {
                need("/usr/include/boost/any.hpp", "libboost-dev (CPP/22, CPP/137)", warnings);
                need("/usr/include/openssl/md5.h", "libssl-dev (CPP/162)", warnings);
                if (caches.pchDir() == null) {
                    warnings.add("no precompiled-header cache: every C++ compile parses its headers from scratch");
                }
            }
            case GO -> {
                need("/usr/share/gocode/src/github.com/stretchr/testify/assert", "golang-github-stretchr-testify-dev (all Go tests)", warnings);
                if (caches.goCache() == null) {
                    warnings.add("no warm Go build cache: each program compiles testify");
                }
            }
            case JAVASCRIPT -> {
                if (caches.nodeModules() == null || !Files.isDirectory(caches.nodeModules().resolve("js-md5"))) {
                    warnings.add("js-md5 not vendored (JavaScript/162): run .ci/install-sandbox-extras");
                }
            }
            default -> { }
        }
        String name = ProcessHandle.current().pid() + "-probe-" + language.id();
        SandboxStep step = new SandboxStep(runner.versionCommand(), BubblewrapLauncher.baseEnv(), List.of(), "/tmp",
                execution.policy().compileWallClock(), false);
        ProcessOutcome o = execution.runStep(step, uid, name);
        String text = (o.stdout() + "\n" + o.stderr()).strip();
        String first = text.isEmpty() ? "(no output)" : text.split("\n")[0];
        boolean ok = o.launched() && o.exitCode() == 0 && !o.timedOut();
        return new ToolchainStatus(language, ok, ok ? first : "version check failed in the sandbox (exit "
                + o.exitCode() + "): " + first, warnings);
    }

    private static void need(String path, String what, List<String> warnings) {
        if (!Files.exists(Path.of(path))) {
            warnings.add("missing " + path + ": install " + what);
        }
    }
}
