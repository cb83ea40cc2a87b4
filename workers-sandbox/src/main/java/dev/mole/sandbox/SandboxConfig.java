package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Worker-level settings.
 *
 * @param workDir run directories and compile caches; every directory on its path must be traversable by other uids
 * @param parallelism programs run at once (default: the cores + 1)
 * @param firstUid host uid of slot 0; slot i runs as {@code firstUid + i}, its javac server (cached runner, up to
 *     {@value #UIDS_PER_WORKER} / 2 slots) as {@code firstUid + parallelism + i}. None of them may belong to anyone else.
 * @param nodeModules vendored node_modules (js-md5), or null
 * @param compileCaches false gives the naive runner: no precompiled header, cold Go cache, javac + java
 * @param languages languages to prepare caches for and to accept
 */
public record SandboxConfig(Path workDir, int parallelism, int firstUid, SandboxPolicy policy, Path nodeModules,
                            boolean compileCaches, Set<Language> languages) {
    /** Uids the defaults set aside for one worker JVM: its slots' and their javac servers'. */
    public static final int UIDS_PER_WORKER = 128;

    public SandboxConfig {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        if (firstUid < 1000) {
            throw new IllegalArgumentException("firstUid must be an unprivileged uid (>= 1000)");
        }
        languages = Set.copyOf(languages);
    }

    /**
     * Defaults: /var/tmp/mole-sandbox, one slot more than there are cores, uids 200000 + 128 * (pid mod 10000) so that
     * several worker JVMs on one machine (tests beside a bench) never share a uid, default policy, all languages, caches
     * on. The extra slot: every program spends part of its time waiting on process and namespace set-up rather than
     * on a core (on 2 cores, 2 slots left ~9% of them idle; 3 slots ran 360 canonical programs ~5% faster).
     */
    public static SandboxConfig defaults() {
        int firstUid = Setting.SANDBOX_FIRST_UID.read().map(Integer::parseInt)
                .orElse(200_000 + UIDS_PER_WORKER * (int) (ProcessHandle.current().pid() % 10_000));
        return new SandboxConfig(Path.of(Setting.SANDBOX_WORK_DIR.read().orElse("/var/tmp/mole-sandbox")),
                Runtime.getRuntime().availableProcessors() + 1, firstUid, SandboxPolicy.defaults(), locateNodeModules(), true,
                EnumSet.copyOf(Language.humanEvalPack()));
    }

    public SandboxConfig withParallelism(int n) {
        return new SandboxConfig(workDir, n, firstUid, policy, nodeModules, compileCaches, languages);
    }

    public SandboxConfig withPolicy(SandboxPolicy p) {
        return new SandboxConfig(workDir, parallelism, firstUid, p, nodeModules, compileCaches, languages);
    }

    public SandboxConfig withCompileCaches(boolean on) {
        return new SandboxConfig(workDir, parallelism, firstUid, policy, nodeModules, on, languages);
    }

    public SandboxConfig withLanguages(Set<Language> ls) {
        return new SandboxConfig(workDir, parallelism, firstUid, policy, nodeModules, compileCaches, ls);
    }

    public SandboxConfig withFirstUid(int uid) {
        return new SandboxConfig(workDir, parallelism, uid, policy, nodeModules, compileCaches, languages);
    }

    /** {@link Setting#SANDBOX_NODE_MODULES}, else workers-sandbox/vendor/node/node_modules found from the working directory up. */
    static Path locateNodeModules() {
        java.util.Optional<String> configured = Setting.SANDBOX_NODE_MODULES.read();
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : new Path[] {p.resolve("vendor/node/node_modules"), p.resolve("workers-sandbox/vendor/node/node_modules")}) {
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
        }
        return null;
    }
}
