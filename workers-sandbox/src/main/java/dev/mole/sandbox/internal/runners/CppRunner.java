package dev.mole.sandbox.internal.runners;

import dev.mole.sandbox.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * g++ -std=c++17 -O2 with {@code <bits/stdc++.h>} force-included, linked with OpenSSL (CPP/162's MD5). The cached
 * runner force-includes a precompiled header of exactly that (0.3 s instead of 1.6 s per compile); the naive runner
 * includes the plain header, so both compile the same program text.
 */
public final class CppRunner implements LanguageRunner {
    /** Must match the flags the precompiled header was built with, or g++ silently ignores it. */
    public static final List<String> FLAGS = List.of("-std=c++17", "-O2");
    public static final String PCH_HEADER = "mole_pch.h";
    private final Toolchain tc;
    private final Path pchDir;

    /** @param pchDir directory with mole_pch.h and mole_pch.h.gch, or null for no precompiled header */
    public CppRunner(Toolchain tc, Path pchDir) {
        this.tc = tc;
        this.pchDir = pchDir;
    }

    @Override
    public Language language() {
        return Language.CPP;
    }

    @Override
    public Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        List<String> argv = new ArrayList<>(List.of(tc.gpp()));
        argv.addAll(FLAGS);
        List<Mount> mounts = new ArrayList<>(List.of(Mount.readOnly(dirs.src(), RunDirs.SRC), Mount.writable(dirs.out(), RunDirs.OUT)));
        if (pchDir != null) {
            mounts.add(Mount.readOnly(pchDir, RunDirs.CACHE + "/cpp"));
            argv.addAll(List.of("-include", RunDirs.CACHE + "/cpp/" + PCH_HEADER));
        } else {
            argv.addAll(List.of("-include", "bits/stdc++.h"));
        }
        argv.addAll(List.of("-o", RunDirs.OUT + "/prog", RunDirs.SRC + "/main.cpp", "-lcrypto", "-lssl"));
        return Optional.of(new SandboxStep(argv, BubblewrapLauncher.baseEnv(), mounts, "/tmp", policy.compileWallClock(), true));
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        return new SandboxStep(List.of(RunDirs.OUT + "/prog"), BubblewrapLauncher.baseEnv(),
                List.of(Mount.readOnly(dirs.out(), RunDirs.OUT)), "/tmp", policy.runWallClock(), true);
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.gpp(), "--version");
    }
}
