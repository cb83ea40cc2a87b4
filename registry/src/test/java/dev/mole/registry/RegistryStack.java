package dev.mole.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.migrations.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** Real PostgreSQL (embedded, migrated by Flyway) and the in-process S3 server, as the platform runs them. */
public final class RegistryStack implements AutoCloseable {
    public static final String BUCKET = "mole";
    public static final String ACCESS = "test-access";
    public static final String SECRET = "test-secret-key";

    public final EmbeddedPostgres postgres;
    public final HikariDataSource dataSource;
    public final S3Proxy proxy;
    public final String endpoint;
    public final BlobStore store;

    public RegistryStack(Path dir) throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl());
        hc.setUsername("postgres");
        hc.setMaximumPoolSize(12);
        dataSource = new HikariDataSource(hc);
        Migrations.migrate(dataSource);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path s3 = Files.createDirectories(dir.resolve("s3"));
        endpoint = "http://127.0.0.1:" + port;
        proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(s3.toString()))
                .endpoint(URI.create(endpoint)).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) Thread.sleep(20);
        store = new BlobStore(endpoint, ACCESS, SECRET);
        store.ensureBucket(BUCKET);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public AdapterRegistry open() {
        return AdapterRegistry.open(dataSource, store, BUCKET);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        dataSource.close();
        postgres.close();
    }
}
