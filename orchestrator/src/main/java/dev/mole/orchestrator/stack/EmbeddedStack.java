package dev.mole.orchestrator.stack;

import dev.mole.contracts.config.PlatformSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts whichever of PostgreSQL, S3 and Temporal the settings leave unconfigured, and stops them in reverse order.
 * Configured components are only addressed, never started: production runs the same code against real services.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private final Deque<AutoCloseable> started;
    private final StackEndpoints endpoints;

    private EmbeddedStack(Deque<AutoCloseable> started, StackEndpoints endpoints) {
        this.started = started;
        this.endpoints = endpoints;
    }

    public static EmbeddedStack start(PlatformSettings s) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            String jdbcUrl = s.jdbcUrl().orElse(null);
            if (jdbcUrl == null) {
                EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(s.home(), s.bindAddress(), s.postgresPort());
                started.push(pg);
                jdbcUrl = pg.jdbcUrl();
            }
            String s3 = s.s3Endpoint().orElse(null);
            String access = s.s3AccessKey();
            String secret = s.s3SecretKey();
            if (s3 == null) {
                EmbeddedS3Server server = EmbeddedS3Server.start(s.home(), s.bindAddress(), s.s3Port());
                started.push(server);
                s3 = server.endpoint();
                access = server.accessKey();
                secret = server.secretKey();
            }
            String temporal = s.temporalTarget().orElse(null);
            if (temporal == null) {
                EmbeddedTemporalServer server = EmbeddedTemporalServer.start(s.bindAddress(), s.temporalPort());
                started.push(server);
                temporal = server.target();
            }
            return new EmbeddedStack(started, new StackEndpoints(temporal, s.temporalNamespace(), jdbcUrl,
                    s.jdbcUser(), s.jdbcPassword(), s3, access, secret, s.bucket()));
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    public StackEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
