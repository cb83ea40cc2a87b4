package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.runners.RunDirs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm Java compilers, one per slot, each a long-lived JVM running {@code MoleJavacServer} (a resource) inside its own
 * bubblewrap sandbox, cgroup and host uid (the slot's uid + the slot count: not the slot's own, so the server's threads
 * do not count against a run's RLIMIT_NPROC and the "no slot-uid process survives a run" check still holds). It has
 * no writable host path and no network; source goes in over a pipe, class files come back over it, and the worker
 * writes them into the program's {@code out}. Only javac's own code runs in it: the program itself always runs in its
 * own fresh sandbox.
 *
 * <p>The server is an accelerator, never a judge of limits: a compile it does not answer in time, a server that died,
 * ran out of memory or spent half its CPU allowance, output or class files over the limits, or javac failing
 * internally all make {@link #compile} return empty, and the program is compiled by javac in its own sandbox under
 * the usual per-program limits, which then decide. The server is restarted for the next program.
 */
public final class JavacServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JavacServers.class);
    private static final int READY = 0x4d4f4c45;
    private static final int MAX_CLASSES = 10_000;

    private final BubblewrapLauncher launcher;
    private final CgroupLimits cgroups;
    private final SandboxPolicy policy;
    private final SandboxStep step;
    private final int uidOffset;
    private final Duration answerTimeout;
    private final Map<Integer, Server> servers = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    /**
     * Starts every server. bubblewrap's --die-with-parent is PR_SET_PDEATHSIG, which fires when the parent
     * <em>thread</em> ends: a server started from a caller's short-lived thread would be killed with it.
     */
    private final ExecutorService starter = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("sandbox-javac-starter").daemon().factory());
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param step the server's command (java ... MoleJavacServer javac-options) and mounts
     * @param uidOffset added to a slot's uid to give its server's uid (the slot count)
     */
    public JavacServers(BubblewrapLauncher launcher, CgroupLimits cgroups, SandboxPolicy policy, SandboxStep step, int uidOffset) {
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.policy = policy;
        this.step = step;
        this.uidOffset = uidOffset;
        // A HumanEvalPack program compiles in well under a second even on a loaded machine; far past that, the
        // per-program path with its full limits is the right judge anyway.
        this.answerTimeout = policy.compileWallClock().compareTo(Duration.ofSeconds(15)) < 0 ? policy.compileWallClock()
                : Duration.ofSeconds(15);
    }

    /**
     * Compiles {@code dirs.src()/fileName} on the slot's server and writes the class files to {@code dirs.out()}.
     * Empty when the server could not judge the program (see the class comment): then compile it the classic way.
     */
    public Optional<ProcessOutcome> compile(RunDirs dirs, String fileName) {
        Server server = servers.computeIfAbsent(dirs.hostUid(), uid -> new Server());
        synchronized (server) {
            return server.compile(dirs, fileName);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> {
            synchronized (s) {
                s.stop();
            }
        });
        starter.shutdownNow();
        readers.shutdownNow();
    }

    /** One slot's server; restarted lazily after it was stopped. Callers hold its monitor. */
    private final class Server {
        private Process process;
        private RunCgroup cgroup;
        private DataOutputStream toServer;
        private DataInputStream fromServer;

        Optional<ProcessOutcome> compile(RunDirs dirs, String fileName) {
            long start = System.nanoTime();
            try {
                if (process == null && !start(dirs.hostUid() + uidOffset)) {
                    return Optional.empty();
                }
                byte[] source = Files.readAllBytes(dirs.src().resolve(fileName));
                // Written by the reader task too, so that a server that stopped reading cannot block us past the timeout.
                Answer a = await(readers.submit(() -> {
                    toServer.writeInt(source.length);
                    toServer.writeUTF(RunDirs.SRC + "/" + fileName);
                    toServer.write(source);
                    toServer.flush();
                    return readAnswer();
                }));
                if (a == null) {
                    return Optional.empty();
                }
                if (a.cpuNanos() > policy.cpuTime().toNanos() / 2) {
                    stop(); // RLIMIT_CPU counts the server's whole life: start a fresh one well before it
                }
                if (a.status() == 0) {
                    writeClasses(dirs.out(), a.classes());
                }
                AtomicLong total = new AtomicLong();
                BoundedCapture err = new BoundedCapture(new ByteArrayInputStream(a.diagnostics()), total,
                        policy.maxOutputBytes(), policy.keptOutputBytes(), () -> { });
                err.run();
                return Optional.of(new ProcessOutcome(a.status(), false, false, false, false, "", err.text(),
                        a.diagnostics().length, Duration.ofNanos(System.nanoTime() - start), null));
            } catch (IOException | RuntimeException e) {
                LOG.debug("javac server failed, compiling in a sandbox of its own instead", e);
                stop();
                return Optional.empty();
            }
        }

        /** The answer, or null (server stopped) when it is late, malformed, over the limits, or javac failed. */
        private Answer await(Future<Answer> f) {
            try {
                Answer a = f.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (a.status() == 0 || a.status() == 1) {
                    return a;
                }
                LOG.debug("javac failed in the server: {}", new String(a.diagnostics(), StandardCharsets.UTF_8));
            } catch (TimeoutException e) {
                LOG.debug("javac server gave no answer within {}", answerTimeout);
            } catch (ExecutionException e) {
                LOG.debug("javac server answer unusable: {}", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            f.cancel(true);
            stop();
            return null;
        }

        private Answer readAnswer() throws IOException {
            int status = fromServer.readInt();
            byte[] diagnostics = readBytes(policy.maxOutputBytes());
            int count = fromServer.readInt();
            if (count < 0 || count > MAX_CLASSES) {
                throw new IOException("class count " + count);
            }
            // All class files together within one file's limit: the worker holds them in memory, and a compile
            // that produces more is left to the per-program sandbox, whose limits then decide.
            Map<String, byte[]> classes = new LinkedHashMap<>();
            long left = policy.maxFileBytes();
            for (int i = 0; i < count; i++) {
                String name = fromServer.readUTF();
                byte[] c = readBytes(left);
                classes.put(name, c);
                left -= c.length;
            }
            return new Answer(status, diagnostics, classes, fromServer.readLong());
        }

        private byte[] readBytes(long limit) throws IOException {
            int n = fromServer.readInt();
            if (n < 0 || n > limit) {
                throw new IOException("answer part of " + n + " bytes, limit " + limit);
            }
            byte[] b = fromServer.readNBytes(n);
            if (b.length != n) {
                throw new IOException("answer cut short");
            }
            return b;
        }

        private boolean start(int uid) throws IOException {
            String name = ProcessHandle.current().pid() + "-javac-" + uid + "-" + generation.incrementAndGet();
            RunCgroup cg = cgroups.create(name, policy);
            List<String> cmd = launcher.command(step, policy, uid, cg, cgroups.controllers().contains("memory"));
            Future<Process> started = starter.submit(() -> {
                return ProcessRunner.launcherProcess(cmd).start();
            });
            try {
                process = started.get();
            } catch (InterruptedException | ExecutionException e) {
                cg.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            cgroup = cg;
            toServer = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            fromServer = new DataInputStream(new BufferedInputStream(process.getInputStream()));
            drain(process.getErrorStream());
            Future<Integer> ready = readers.submit(fromServer::readInt);
            try {
                // Start-up is a JVM, not a compile: allow it the whole compile wall clock.
                if (ready.get(policy.compileWallClock().toMillis(), TimeUnit.MILLISECONDS) == READY) {
                    return true;
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("javac server did not start ({}); Java programs compile one JVM each", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.cancel(true);
            stop();
            return false;
        }

        /** The server's stderr (JVM warnings) must not fill the pipe; a little of it is logged when debugging. */
        private void drain(InputStream err) {
            readers.submit(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = err.read(buf)) > 0) {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("javac server stderr: {}", new String(buf, 0, n, StandardCharsets.UTF_8).strip());
                        }
                    }
                } catch (IOException ignored) {
                    // server gone
                }
                return null;
            });
        }

        void stop() {
            if (process != null) {
                ProcessRunner.killTree(process, cgroup);
                try {
                    process.getOutputStream().close();
                } catch (IOException ignored) {
                    // already gone
                }
                process = null;
            }
            if (cgroup != null) {
                cgroup.close();
                cgroup = null;
            }
        }
    }

    private record Answer(int status, byte[] diagnostics, Map<String, byte[]> classes, long cpuNanos) {}

    /**
     * Class files by binary name, laid out as javac -d would. The names come from the sandbox, so each segment must be
     * a plain Java identifier: nothing may land outside {@code out}. Root owns them; the run reads them through a
     * read-only mount of {@code out}, as it reads javac's.
     */
    static void writeClasses(Path out, Map<String, byte[]> classes) throws IOException {
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            Path target = out.resolve(classFile(c.getKey()));
            Files.createDirectories(target.getParent());
            Files.write(target, c.getValue());
        }
    }

    static String classFile(String binaryName) throws IOException {
        for (String s : binaryName.split("\\.", -1)) {
            if (s.isEmpty() || s.length() > 200 || !Character.isJavaIdentifierStart(s.codePointAt(0))
                    || !s.codePoints().allMatch(cp -> Character.isJavaIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp))) {
                throw new IOException("not a class name: " + binaryName);
            }
        }
        return binaryName.replace('.', '/') + ".class";
    }
}
