package dev.mole.contracts.config;

import dev.mole.contracts.storage.BlobStore;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * Clients for a worker process that joins a running platform: the same settings, read the same way, for every kind of
 * worker. A worker never starts services, so the object store must be configured.
 */
public final class Connections {
    private Connections() {}

    public static BlobStore blobStore(PlatformSettings s) {
        String endpoint = s.s3Endpoint().orElseThrow(() -> new IllegalStateException(
                "set MOLE_S3_ENDPOINT, MOLE_S3_ACCESS_KEY and MOLE_S3_SECRET_KEY: a worker uses the platform's object store"));
        return new BlobStore(endpoint, s.s3AccessKey(), s.s3SecretKey());
    }

    /** The configured Temporal target, or the embedded one of a local {@code mole up} on this machine. */
    public static WorkflowClient workflowClient(PlatformSettings s) {
        String target = s.temporalTarget().orElse(s.bindAddress() + ":" + s.temporalPort());
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        return WorkflowClient.newInstance(stubs,
                WorkflowClientOptions.newBuilder().setNamespace(s.temporalNamespace()).build());
    }
}
