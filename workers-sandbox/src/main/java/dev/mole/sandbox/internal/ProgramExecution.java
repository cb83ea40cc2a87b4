package dev.mole.sandbox.internal;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.VerdictMapper.RunSignals;
import dev.mole.sandbox.internal.runners.LanguageRunner;
import dev.mole.sandbox.internal.runners.RunDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Runs one assembled program in one slot: run directory, compile phase, run phase, verdict, clean-up. */
public final class ProgramExecution {
    private final BubblewrapLauncher launcher;
    private final CgroupLimits cgroups;
    private final ProcessRunner processes = new ProcessRunner();
    private final SandboxPolicy policy;

    public SandboxPolicy policy() {
        return policy;
    }

    public ProgramExecution(BubblewrapLauncher launcher, CgroupLimits cgroups, SandboxPolicy policy) {
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.policy = policy;
    }

    /**
     * @param runName unique name for the run directory and cgroups
     * @param hostUid the slot's uid
     */
    public SandboxResult execute(SandboxProgram program, AssembledProgram assembled, LanguageRunner runner, Path runDir,
                                 String runName, int hostUid) {
        try {
            RunDirs dirs = createDirs(runDir, assembled, hostUid);
            runner.prepare(dirs);
            long compileMillis = 0;
            Optional<SandboxStep> compile = runner.compileStep(dirs, policy);
            if (compile.isPresent()) {
                ProcessOutcome c = runner.compileWithoutStep(dirs).orElseGet(() -> runStep(compile.get(), hostUid, runName + "-c"));
                compileMillis = c.elapsed().toMillis();
                runner.afterCompile(dirs, c);
                VerdictMapper.Verdict v = VerdictMapper.map(VerdictMapper.Phase.COMPILE, c, RunSignals.COMPILE_PHASE,
                        policy.maxOutputBytes(), policy.compileWallClock().toSeconds());
                if (v.verdict() != SandboxVerdict.PASS) {
                    return result(program, v, c, c.stdout(), compileMillis, 0);
                }
            }
            SandboxStep runStep = runner.runStep(dirs, policy);
            ProcessOutcome r = runStep(runStep, hostUid, runName + "-r");
            CompletionMarker marker = assembled.marker();
            RunSignals signals = new RunSignals(runner.failsOnStderr(), runner.isCompileErrorInRun(r), marker.isShownIn(r.stdout()));
            VerdictMapper.Verdict v = VerdictMapper.map(VerdictMapper.Phase.RUN, r, signals, policy.maxOutputBytes(),
                    policy.runWallClock().toSeconds());
            return result(program, v, r, marker.strippedFrom(r.stdout()), compileMillis, r.elapsed().toMillis());
        } catch (IOException | RuntimeException e) {
            return new SandboxResult(program.id(), program.language(), program.taskId(), SandboxVerdict.SANDBOX_ERROR,
                    "sandbox failure: " + e, -1, "", "", 0, 0);
        } finally {
            HostFiles.deleteTree(runDir);
        }
    }

    /** Runs one step under the policy (the toolchain probe at start uses this directly). */
    public ProcessOutcome runStep(SandboxStep step, int hostUid, String cgroupName) {
        try (RunCgroup cg = cgroups.create(cgroupName, policy)) {
            var cmd = launcher.command(step, policy, hostUid, cg, cgroups.controllers().contains("memory"));
            return processes.run(cmd, cg, step.wallClock(), policy.maxOutputBytes(), policy.keptOutputBytes());
        }
    }

    /** src: root-owned and world-readable (mounted read-only); out: the slot's own, mode 0700. */
    private static RunDirs createDirs(Path runDir, AssembledProgram assembled, int hostUid) throws IOException {
        Path src = runDir.resolve("src");
        Path out = runDir.resolve("out");
        Files.createDirectories(src);
        Files.createDirectories(out);
        HostFiles.chmod(runDir, "rwx--x--x");
        HostFiles.chmod(src, "rwxr-xr-x");
        for (Map.Entry<String, String> f : assembled.files().entrySet()) {
            Path file = src.resolve(f.getKey());
            Files.writeString(file, f.getValue());
            HostFiles.chmod(file, "rw-r--r--");
        }
        HostFiles.chown(out, hostUid);
        HostFiles.chmod(out, "rwx------");
        return new RunDirs(src, out, hostUid);
    }

    /** @param stdout what to show of the phase's stdout */
    private static SandboxResult result(SandboxProgram p, VerdictMapper.Verdict v, ProcessOutcome o, String stdout,
                                        long compileMillis, long runMillis) {
        return new SandboxResult(p.id(), p.language(), p.taskId(), v.verdict(), v.reason(), o.exitCode(), stdout, o.stderr(),
                compileMillis, runMillis);
    }
}
