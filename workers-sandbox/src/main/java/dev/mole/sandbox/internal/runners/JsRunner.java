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

/**
 * {@code node main.js}, with the vendored node_modules (js-md5 for JavaScript/162) read-only on NODE_PATH. Node's own
 * warnings are off so that any stderr output is the program's: console.assert failures exit 0 and show only there.
 */
public final class JsRunner implements LanguageRunner {
    private static final String MODULES = "/mole/node_modules";
    private final Toolchain tc;
    private final Path nodeModules;

    /** @param nodeModules vendored node_modules directory, or null when none was set up */
    public JsRunner(Toolchain tc, Path nodeModules) {
        this.tc = tc;
        this.nodeModules = nodeModules;
    }

    @Override
    public Language language() {
        return Language.JAVASCRIPT;
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        Map<String, String> env = new HashMap<>(BubblewrapLauncher.baseEnv());
        List<Mount> mounts = new ArrayList<>(List.of(Mount.readOnly(dirs.src(), RunDirs.SRC)));
        if (nodeModules != null && Files.isDirectory(nodeModules)) {
            mounts.add(Mount.readOnly(nodeModules, MODULES));
            env.put("NODE_PATH", MODULES);
        }
        long heapMb = Math.max(32, policy.memoryBytes() / (1024 * 1024) / 2);
        return new SandboxStep(List.of(tc.node(), "--no-warnings", "--max-old-space-size=" + heapMb, RunDirs.SRC + "/main.js"),
                env, mounts, "/tmp", policy.runWallClock(), false);
    }

    @Override
    public boolean failsOnStderr() {
        return true;
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.node(), "--version");
    }
}
