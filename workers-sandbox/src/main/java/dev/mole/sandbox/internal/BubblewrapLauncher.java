package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the command line that runs one {@link SandboxStep}, outermost first:
 * <ol>
 *   <li>{@code sh}: writes its own pid into the run's cgroup.procs files, then execs the rest, so every descendant is
 *       accounted and killable through the cgroup;</li>
 *   <li>{@code prlimit}: CPU seconds, file size, open files, process count (and address space when there is no memory
 *       cgroup), no core dumps;</li>
 *   <li>{@code setpriv}: switches to the slot's own unprivileged host uid. Bubblewrap started by root maps the sandbox
 *       user to host root, which could then read root-owned files such as /etc/shadow through any bind mount; with a
 *       plain host uid the kernel's permission checks hold, and RLIMIT_NPROC counts per slot;</li>
 *   <li>{@code bwrap}: new user/pid/net/ipc/uts/cgroup namespaces, uid/gid 65534 with no capabilities, a new session,
 *       dies with its parent, read-only /usr and a few /etc entries, a size-capped private /tmp, empty environment.</li>
 * </ol>
 */
public final class BubblewrapLauncher {
    /** /etc entries the toolchains need (dynamic loader cache, alternatives symlinks, the JDK's conf). Nothing else of /etc. */
    private static final List<String> ETC_WHITELIST = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/java-17-openjdk", "/etc/java-21-openjdk", "/etc/ssl/openssl.cnf", "/etc/localtime");
    private static final String CGROUP_ENTER = "while [ \"$1\" != \"--\" ]; do echo $$ > \"$1\" || "
            + "{ echo \"mole-sandbox: cannot enter cgroup $1\" >&2; exit 125; }; shift; done; shift; exec \"$@\"";

    private final String bwrap;
    private final String prlimit;
    private final String setpriv;
    private final Path etcDir;

    /** @param etcDir holds the synthetic passwd/group files mounted at /etc (only user "nobody" is known inside) */
    public BubblewrapLauncher(String bwrap, String prlimit, String setpriv, Path etcDir) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.setpriv = setpriv;
        this.etcDir = etcDir;
    }

    public List<String> command(SandboxStep step, SandboxPolicy policy, int hostUid, RunCgroup cgroup, boolean memoryCgroup) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", CGROUP_ENTER, "mole-sandbox"));
        cgroup.procsFiles().forEach(p -> cmd.add(p.toString()));
        cmd.add("--");

        long cpu = policy.cpuTime().toSeconds();
        cmd.addAll(List.of(prlimit,
                "--cpu=" + cpu + ":" + (cpu + 1), // soft: SIGXCPU, hard a second later: SIGKILL
                "--fsize=" + policy.maxFileBytes(),
                "--nofile=" + policy.maxOpenFiles(),
                // Counted per host uid, and each slot has its own uid; bwrap's own two processes come on top.
                "--nproc=" + (policy.maxProcesses() + 4),
                "--core=0"));
        if (!memoryCgroup && step.addressSpaceLimitOk()) {
            cmd.add("--as=" + policy.memoryBytes());
        }
        cmd.addAll(List.of(setpriv, "--reuid=" + hostUid, "--regid=" + hostUid, "--clear-groups", "--"));

        cmd.addAll(List.of(bwrap, "--unshare-all"));
        if (policy.networkAllowed()) {
            cmd.add("--share-net");
        }
        cmd.addAll(List.of("--die-with-parent", "--new-session", "--unshare-user", "--uid", "65534", "--gid", "65534",
                "--cap-drop", "ALL", "--hostname", "sandbox", "--clearenv"));
        new TreeMap<>(step.env()).forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--ro-bind", "/usr", "/usr"));
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")) {
            Path p = Path.of(top);
            if (Files.isSymbolicLink(p)) {
                try {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot read symlink " + p, e);
                }
            } else if (Files.isDirectory(p)) {
                cmd.addAll(List.of("--ro-bind", top, top));
            }
        }
        for (String etc : ETC_WHITELIST) {
            if (Files.exists(Path.of(etc))) {
                cmd.addAll(List.of("--ro-bind", etc, etc));
            }
        }
        cmd.addAll(List.of("--ro-bind", etcDir.resolve("passwd").toString(), "/etc/passwd",
                "--ro-bind", etcDir.resolve("group").toString(), "/etc/group",
                "--proc", "/proc", "--dev", "/dev",
                "--size", Long.toString(policy.scratchBytes()), "--perms", "1777", "--tmpfs", "/tmp"));
        for (Mount m : step.mounts()) {
            cmd.addAll(List.of(m.writable() ? "--bind" : "--ro-bind", m.host().toString(), m.inside()));
        }
        // bubblewrap's root is a tmpfs of its own: read-only after the mounts above, so /tmp is the only writable place.
        cmd.addAll(List.of("--remount-ro", "/", "--chdir", step.chdir(), "--"));
        cmd.addAll(step.argv());
        return cmd;
    }

    /** Writes the synthetic /etc/passwd and /etc/group into {@code etcDir}. */
    public static void writeEtc(Path etcDir) throws java.io.IOException {
        Files.createDirectories(etcDir);
        Files.writeString(etcDir.resolve("passwd"), "nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n");
        Files.writeString(etcDir.resolve("group"), "nogroup:x:65534:\n");
    }

    /** Environment every step starts from; runners add their own. */
    public static Map<String, String> baseEnv() {
        return Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp", "TMPDIR", "/tmp", "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8");
    }
}
