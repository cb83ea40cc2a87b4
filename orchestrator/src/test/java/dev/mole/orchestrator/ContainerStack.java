package dev.mole.orchestrator;

import dev.mole.contracts.config.PlatformSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The real services in containers, for {@code -P containers}: PostgreSQL, MinIO and a Temporal server on its own
 * PostgreSQL, started once per test JVM. Each stack a test asks for gets a database and a bucket of its own, so tests
 * see the same isolation as with the embedded default. Where no Docker engine answers, every test that asks is
 * skipped with that reason: the profile is an extra run where containers exist, never the only test of a component.
 * The images are those of deploy/production/docker-compose.yml.
 */
final class ContainerStack {
    static final String PROPERTY = "mole.test.containers";
    private static final String POSTGRES = "postgres:17.6-bookworm";
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static Services services;

    private ContainerStack() {}

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Settings for a fresh database and bucket on the shared containers; skips the test where Docker is missing. */
    static synchronized PlatformSettings settings(Path home) {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "-P containers: no Docker engine answers here, so this test did not run against PostgreSQL, MinIO and "
                        + "Temporal containers (it runs against the embedded stack without the profile)");
        if (services == null) {
            services = Services.start();
        }
        int n = STACKS.incrementAndGet();
        String database = "mole_" + n;
        services.createDatabase(database);
        Map<String, String> env = new HashMap<>();
        env.put("MOLE_TEMPORAL_TARGET", services.temporal.getHost() + ":" + services.temporal.getMappedPort(7233));
        env.put("MOLE_JDBC_URL", services.jdbcUrl(database));
        env.put("MOLE_JDBC_USER", "mole");
        env.put("MOLE_JDBC_PASSWORD", "mole");
        env.put("MOLE_S3_ENDPOINT", "http://" + services.minio.getHost() + ":" + services.minio.getMappedPort(9000));
        env.put("MOLE_S3_ACCESS_KEY", "mole");
        env.put("MOLE_S3_SECRET_KEY", "mole-secret");
        env.put("MOLE_S3_BUCKET", "mole-" + n);
        return PlatformSettings.from(env, k -> null).withHome(home)
                .withCurationInputRoots(List.of(home.toAbsolutePath().getParent()));
    }

    private record Services(GenericContainer<?> postgres, GenericContainer<?> minio, GenericContainer<?> temporal) {
        static Services start() {
            Network network = Network.newNetwork();
            GenericContainer<?> postgres = new GenericContainer<>(DockerImageName.parse(POSTGRES))
                    .withEnv(Map.of("POSTGRES_USER", "mole", "POSTGRES_PASSWORD", "mole", "POSTGRES_DB", "mole"))
                    .withExposedPorts(5432).waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 2));
            GenericContainer<?> temporalDb = new GenericContainer<>(DockerImageName.parse(POSTGRES))
                    .withNetwork(network).withNetworkAliases("temporal-postgresql")
                    .withEnv(Map.of("POSTGRES_USER", "temporal", "POSTGRES_PASSWORD", "temporal"))
                    .waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 2));
            GenericContainer<?> minio = new GenericContainer<>(DockerImageName.parse("minio/minio:RELEASE.2025-04-22T22-12-26Z"))
                    .withCommand("server", "/data")
                    .withEnv(Map.of("MINIO_ROOT_USER", "mole", "MINIO_ROOT_PASSWORD", "mole-secret"))
                    .withExposedPorts(9000).waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
            GenericContainer<?> temporal = new GenericContainer<>(DockerImageName.parse("temporalio/auto-setup:1.28.1"))
                    .withNetwork(network).dependsOn(temporalDb)
                    .withEnv(Map.of("DB", "postgres12", "DB_PORT", "5432", "POSTGRES_USER", "temporal",
                            "POSTGRES_PWD", "temporal", "POSTGRES_SEEDS", "temporal-postgresql"))
                    .withExposedPorts(7233).waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(3)));
            postgres.start();
            minio.start();
            temporal.start();
            return new Services(postgres, minio, temporal);
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/" + database;
        }

        void createDatabase(String database) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("mole"), "mole", "mole");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + database + " in the container: " + e.getMessage(), e);
            }
        }
    }
}
