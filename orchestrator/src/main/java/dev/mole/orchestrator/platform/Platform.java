package dev.mole.orchestrator.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.migrations.Migrations;
import dev.mole.orchestrator.stack.StackEndpoints;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Connections to the three services: a pooled DataSource with the schema migrated, the object store with its bucket
 * present, and a Temporal client. Everything else in the platform is built from one of these.
 */
public final class Platform implements AutoCloseable {
    private final StackEndpoints endpoints;
    private final HikariDataSource dataSource;
    private final BlobStore blobStore;
    private final WorkflowServiceStubs stubs;
    private final WorkflowClient workflowClient;

    private Platform(StackEndpoints endpoints, HikariDataSource dataSource, BlobStore blobStore,
            WorkflowServiceStubs stubs, WorkflowClient workflowClient) {
        this.endpoints = endpoints;
        this.dataSource = dataSource;
        this.blobStore = blobStore;
        this.stubs = stubs;
        this.workflowClient = workflowClient;
    }

    public static Platform connect(StackEndpoints e) {
        HikariConfig db = new HikariConfig();
        db.setJdbcUrl(e.jdbcUrl());
        db.setUsername(e.jdbcUser());
        db.setPassword(e.jdbcPassword());
        db.setMaximumPoolSize(8);
        db.setPoolName("mole");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(db);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + e.jdbcUrl() + ": " + ex.getMessage(), ex);
        }
        WorkflowServiceStubs stubs = null;
        try {
            Migrations.migrate(dataSource);
            BlobStore blobs = new BlobStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
            blobs.ensureBucket(e.bucket());
            stubs = WorkflowServiceStubs.newConnectedServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(e.temporalTarget()).build(), Duration.ofSeconds(30));
            WorkflowClient client = WorkflowClient.newInstance(stubs,
                    WorkflowClientOptions.newBuilder().setNamespace(e.temporalNamespace()).build());
            return new Platform(e, dataSource, blobs, stubs, client);
        } catch (RuntimeException ex) {
            if (stubs != null) {
                stubs.shutdownNow();
            }
            dataSource.close();
            throw ex;
        }
    }

    public StackEndpoints endpoints() {
        return endpoints;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public BlobStore blobStore() {
        return blobStore;
    }

    public String bucket() {
        return endpoints.bucket();
    }

    public WorkflowClient workflowClient() {
        return workflowClient;
    }

    @Override
    public void close() {
        stubs.shutdown();
        stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        dataSource.close();
    }
}
