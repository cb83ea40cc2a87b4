package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile programs, run for real through the sandbox (Python: it starts fastest). Each must be contained, get a verdict
 * that says why, and leave the host as it was: no process of a slot uid survives, nothing is written outside the run.
 */
@Tag("sandbox")
class AttackSuiteTest {
    private static final String SECRET_ENV = "MOLE_TEST_SECRET";
    private static final SandboxPolicy POLICY = SandboxPolicy.defaults()
            .withRunWallClock(Duration.ofSeconds(4))
            .withCpuTime(Duration.ofSeconds(3))
            .withMemoryBytes(256L << 20)
            .withMaxProcesses(64)
            .withMaxOutputBytes(256 << 10)
            .withScratchBytes(16L << 20)
            .withMaxFileBytes(8L << 20);
    private static SandboxConfig config;
    private static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        // JavaScript too: its runs mount the vendored node_modules, which live in the repository (the host's working directory).
        config = SandboxConfig.defaults().withPolicy(POLICY).withLanguages(EnumSet.of(Language.PYTHON, Language.JAVASCRIPT))
                .withParallelism(1);
        sandbox = Sandbox.start(config);
        assertThat(sandbox.report().canRun(Language.PYTHON))
                .as("python3 must run in the sandbox; install the Debian packages: .ci/install-prerequisites\n%s", sandbox.report().render())
                .isTrue();
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void hostIsUnaffected() throws Exception {
        assertThat(SandboxProcesses.awaitNoneOwnedBySlots(config)).as("processes of sandbox uids left on the host").isEmpty();
        Process p = new ProcessBuilder("/bin/true").start();
        assertThat(p.waitFor()).as("host can still start processes").isZero();
    }

    private static SandboxResult run(String python) {
        SandboxResult r = sandbox.run(new SandboxProgram("attack", "python", "Attack/0", "", python, "", "", ""));
        System.out.println(r.verdict() + " | " + r.reason() + " | stdout: " + r.stdout().strip() + " | stderr: " + r.stderr().strip());
        return r;
    }

    @Test
    void forkBombIsStoppedByTheProcessLimitAndKilledAtTheWallClock() {
        SandboxResult r = run("""
                import os
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """);
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.TIMEOUT);
        assertThat(r.reason()).contains("wall clock").contains("process limit");
    }

    @Test
    void infiniteLoopTimesOut() {
        SandboxResult r = run("while True:\n    pass\n");
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.TIMEOUT);
        assertThat(r.reason()).containsAnyOf("wall clock", "CPU time");
        assertThat(r.runMillis()).isLessThan(POLICY.runWallClock().toMillis() + 3000);
    }

    @Test
    void sleepPastTheLimitIsKilledAtTheWallClock() {
        SandboxResult r = run("import time\ntime.sleep(120)\n");
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.TIMEOUT);
        assertThat(r.reason()).contains("wall clock 4 s exceeded in run phase");
        assertThat(r.runMillis()).isBetween(POLICY.runWallClock().toMillis(), POLICY.runWallClock().toMillis() + 3000);
    }

    @Test
    void memoryBombIsOomKilled() {
        SandboxResult r = run("""
                chunks = []
                while True:
                    chunks.append(b'\\x01' * (32 << 20))
                """);
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.MEMORY_LIMIT);
        assertThat(r.reason()).contains("memory limit");
    }

    @Test
    void diskFillHitsTheFileSizeLimitAndTheScratchSize(@TempDir Path hostDir) {
        SandboxResult r = run("""
                import sys
                try:
                    with open('/tmp/big', 'wb') as f:
                        f.write(b'\\0' * (12 << 20))
                except OSError as e:
                    print('one big file refused:', e, file=sys.stderr)
                i = 0
                try:
                    while True:
                        with open('/tmp/fill%d' % i, 'wb') as f:
                            f.write(b'\\0' * (1 << 20))
                        i += 1
                except OSError as e:
                    print('disk full after', i, 'MiB:', e, file=sys.stderr)
                    sys.exit(1)
                """);
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(r.stderr()).contains("one big file refused").contains("File too large");
        assertThat(r.stderr()).contains("No space left on device");
    }

    @Test
    void hugeStdoutIsCutAtTheOutputLimit() {
        SandboxResult r = run("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n");
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.OUTPUT_LIMIT);
        assertThat(r.reason()).contains("more than " + POLICY.maxOutputBytes() + " bytes");
        assertThat(r.stdout().length()).isLessThan(POLICY.keptOutputBytes() + 200);
    }

    @Test
    void networkEgressToTheHostLoopbackIsBlocked() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            // Control: the port is really open to a process on the host.
            try (Socket control = new Socket("127.0.0.1", server.getLocalPort())) {
                assertThat(control.isConnected()).isTrue();
            }
            long deadline = System.currentTimeMillis() + 2000;
            while (accepted.get() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(accepted.get()).as("control connection from the host").isEqualTo(1);

            SandboxResult r = run("""
                    import socket, sys
                    try:
                        socket.create_connection(('127.0.0.1', %d), timeout=2)
                        print('CONNECTED')
                    except OSError as e:
                        print('egress blocked:', e, file=sys.stderr)
                        sys.exit(1)
                    """.formatted(server.getLocalPort()));
            Thread.sleep(200);
            assertThat(r.verdict()).isEqualTo(SandboxVerdict.FAIL);
            assertThat(r.stdout()).doesNotContain("CONNECTED");
            assertThat(r.stderr()).contains("egress blocked").containsAnyOf("Connection refused", "Network is unreachable");
            assertThat(accepted.get()).as("connections that reached the host's port from the sandbox").isEqualTo(1);
            server.close();
            acceptor.join(1000);
        }
    }

    @Test
    void hostFilesPlatformDataAndEnvironmentSecretsAreInvisible(@TempDir Path platformDataDir) throws Exception {
        String secretValue = System.getenv(SECRET_ENV);
        assertThat(secretValue).as("surefire sets %s for this test (see the module pom)", SECRET_ENV).isNotBlank();
        Path secretFile = platformDataDir.resolve("credentials.properties");
        Files.writeString(secretFile, "s3.secret=PLATFORM-DATA-SECRET-7f3a\n");
        Files.setPosixFilePermissions(platformDataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--")); // world-readable on the host
        SandboxResult r = run("""
                import os, sys
                leaked = []
                for path in ['/etc/shadow', '%s', '/proc/1/environ', '/proc/%d/environ', '/root/.bash_history']:
                    try:
                        with open(path, 'rb') as f:
                            leaked.append(path + '=' + f.read(400).decode('latin-1'))
                    except OSError as e:
                        print('blocked', path, type(e).__name__, file=sys.stderr)
                print('ENV', sorted(os.environ.items()))
                print('LEAKED', leaked)
                sys.exit(1 if not any('shadow' in l or 'SECRET' in l for l in leaked) else 0)
                """.formatted(secretFile, ProcessHandle.current().pid()));
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(r.stderr()).contains("blocked /etc/shadow").contains("blocked " + secretFile);
        assertThat(r.stdout()).doesNotContain(secretValue).doesNotContain("PLATFORM-DATA-SECRET").doesNotContain("root:");
        assertThat(r.stdout()).contains("ENV [").doesNotContain(SECRET_ENV);
    }

    /**
     * Issue 11: pid 1 (bubblewrap's init, a fork of the bwrap process) showed the host's working directory as PWD in
     * /proc/1/environ, and its arguments and the mounts name host paths. A program reads everything under /proc that
     * names a process's environment, arguments, directories or mounts, and looks for the host's working directory,
     * the vendored node_modules' host path and the worker's pid in a run-directory name.
     */
    @Test
    void nothingInsideTheSandboxNamesTheHostsWorkingDirectoryOrTheWorkersPid() {
        assertThat(config.nodeModules()).as("run .ci/install-sandbox-extras: the vendored js-md5 is mounted for JavaScript").isNotNull();
        long pid = ProcessHandle.current().pid();
        List<String> forbidden = List.of(System.getProperty("user.dir"), config.nodeModules().toString(),
                "/" + pid + "-", "-" + pid + "-", "/" + pid + "/");
        StringBuilder js = new StringBuilder("const forbidden = [");
        forbidden.forEach(f -> js.append('"').append(f.replace("\\", "\\\\").replace("\"", "\\\"")).append("\", "));
        js.append("""
                ];
                const fs = require('fs');
                const read = p => { try { return fs.readFileSync(p).toString('latin1'); } catch (e) { return ''; } };
                const link = p => { try { return fs.readlinkSync(p); } catch (e) { return ''; } };
                const sources = { 'process.cwd()': process.cwd(), 'process.env': JSON.stringify(process.env),
                                  'process.argv': JSON.stringify(process.argv) };
                const pids = fs.readdirSync('/proc').filter(n => /^[0-9]+$/.test(n)).concat(['self', 'thread-self']);
                for (const p of pids) {
                  for (const f of ['environ', 'cmdline', 'mountinfo', 'mounts', 'cgroup', 'status', 'stat', 'sched']) {
                    sources['/proc/' + p + '/' + f] = read('/proc/' + p + '/' + f);
                  }
                  for (const l of ['cwd', 'root', 'exe']) sources['/proc/' + p + '/' + l] = link('/proc/' + p + '/' + l);
                }
                for (const [where, text] of Object.entries(sources)) {
                  for (const f of forbidden) {
                    const at = text.indexOf(f);
                    if (at >= 0) console.log('FOUND ' + JSON.stringify(f) + ' in ' + where + ': '
                        + JSON.stringify(text.substring(Math.max(0, at - 60), at + f.length + 20)));
                  }
                }
                console.log('PID1ENV ' + JSON.stringify(read('/proc/1/environ').split('\\0').filter(s => s)));
                console.log('CHECKED ' + Object.keys(sources).length + ' sources of ' + pids.length + ' processes');
                """);
        SandboxResult r = sandbox.run(new SandboxProgram("leak", "javascript", "Attack/1", "", js.toString(), "", "", ""));
        System.out.println(r.verdict() + " | " + r.reason() + " | stdout: " + r.stdout().strip() + " | stderr: " + r.stderr().strip());
        assertThat(r.stdout()).contains("CHECKED").doesNotContain("FOUND");
        // The launcher chain starts in / with only PATH; bubblewrap's init keeps that and the PWD its sh exported.
        assertThat(r.stdout()).contains("PID1ENV [\"PATH=/usr/bin:/bin\",\"PWD=/\"]");
    }

    @Test
    void writesOutsideScratchAreRefused(@TempDir Path hostDir) throws Exception {
        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxrwx")); // even world-writable on the host
        SandboxResult r = run("""
                import sys
                written = []
                for path in ['/usr/mole-evil', '/etc/mole-evil', '/mole/src/mole-evil', '/mole-evil', '%s/mole-evil']:
                    try:
                        with open(path, 'w') as f:
                            f.write('x')
                        written.append(path)
                    except OSError as e:
                        print('blocked', path, type(e).__name__, file=sys.stderr)
                with open('/tmp/scratch-works', 'w') as f:
                    f.write('private scratch is writable')
                print('WRITTEN', written)
                sys.exit(1 if not written else 0)
                """.formatted(hostDir));
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(r.stdout()).contains("WRITTEN []");
        assertThat(r.stderr()).contains("blocked /usr/mole-evil").contains("blocked " + hostDir + "/mole-evil");
        assertThat(Path.of("/usr/mole-evil")).doesNotExist();
        assertThat(Path.of("/etc/mole-evil")).doesNotExist();
        assertThat(hostDir.resolve("mole-evil")).doesNotExist();
    }

    @Test
    void backgroundProcessesDoNotOutliveTheRun() {
        SandboxResult r = run("""
                import os, subprocess, time
                subprocess.Popen(['/bin/sh', '-c', 'sleep 120'], start_new_session=True)
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(120)
                    os._exit(0)
                print('spawned daemons, exiting')
                """);
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.PASS);
        assertThat(r.stdout()).contains("spawned daemons");
        assertThat(r.runMillis()).as("the run does not wait for the daemons").isLessThan(POLICY.runWallClock().toMillis());
        // hostIsUnaffected() then checks that no process of the slot's uid is left on the host
    }

    @Test
    void aNormalProgramStillPassesAfterTheAttacks() {
        SandboxResult r = run("assert sum(range(10)) == 45\nprint('ok')\n");
        assertThat(r.verdict()).isEqualTo(SandboxVerdict.PASS);
        assertThat(r.stdout()).isEqualTo("ok\n");
    }
}
