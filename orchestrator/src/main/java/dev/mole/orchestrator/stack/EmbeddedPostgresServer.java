package dev.mole.orchestrator.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server whose data directory lives under the platform home and survives restarts. Durability
 * settings are turned back on: the embedded library switches fsync off by default, which would lose datasets on a crash.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;

    private EmbeddedPostgres started() {
        return postgres;
    }

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String jdbcUrl) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
    }

    static EmbeddedPostgresServer start(Path home, String bindAddress, int port) {
        Path dataDir = home.resolve("postgres/data");
        Path binDir = home.resolve("postgres/bin");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(binDir);
        } catch (IOException e) {
            throw new StackStartException("cannot create PostgreSQL directories under " + home + ": " + e.getMessage(), e);
        }
        stopOrphan(dataDir);
        PortGuard.requireFree(bindAddress, port, "embedded PostgreSQL", "MOLE_POSTGRES_PORT");
        int actualPort = port == 0 ? PortGuard.freePort(bindAddress) : port;
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setOverrideWorkingDirectory(binDir.toFile())
                    .setCleanDataDirectory(false)
                    .setPort(actualPort)
                    .setServerConfig("listen_addresses", bindAddress)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            String url = jdbcUrl(bindAddress, actualPort);
            log.info("embedded PostgreSQL on {}:{} (data {})", bindAddress, actualPort, dataDir);
            return new EmbeddedPostgresServer(pg, url);
        } catch (IOException | RuntimeException e) {
            throw new StackStartException("embedded PostgreSQL did not start (data directory " + dataDir + "): "
                    + rootMessage(e), e);
        }
    }

    /**
     * A JVM killed with kill -9 leaves its PostgreSQL child running and holding the data directory. That process is
     * ours (it owns our data directory), so it is stopped cleanly before a new one starts.
     */
    private static void stopOrphan(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
            if (handle.isPresent()) {
                log.warn("stopping PostgreSQL {} left running by an earlier process", pid);
                handle.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown, data stays consistent
                handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("could not inspect {}: {}", pidFile, e.toString());
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    static String jdbcUrl(String bindAddress, int port) {
        return "jdbc:postgresql://" + bindAddress + ":" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        started().close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
