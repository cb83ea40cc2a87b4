package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.BubblewrapLauncher;
import dev.mole.sandbox.internal.Mount;
import dev.mole.sandbox.internal.SandboxStep;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code python3 -B -s main.py}: no bytecode files, no user site. Not {@code -I}/{@code -E}: they would drop
 * PYTHONHASHSEED, and a fixed hash seed is what makes set iteration order, hence verdicts, repeatable. The environment
 * is empty apart from what is set here (bubblewrap's --clearenv).
 */
public final class PythonRunner implements LanguageRunner {
    private final Toolchain tc;

    public PythonRunner(Toolchain tc) {
        this.tc = tc;
    }

    @Override
    public Language language() {
        return Language.PYTHON;
    }

    @Override
    public SandboxStep runStep(RunDirs dirs, SandboxPolicy policy) {
        Map<String, String> env = new HashMap<>(BubblewrapLauncher.baseEnv());
        env.put("PYTHONHASHSEED", "0");
        return new SandboxStep(List.of(tc.python(), "-B", "-s", RunDirs.SRC + "/main.py"), env,
                List.of(Mount.readOnly(dirs.src(), RunDirs.SRC)), "/tmp", policy.runWallClock(), true);
    }

    @Override
    public List<String> versionCommand() {
        return List.of(tc.python(), "--version");
    }
}
