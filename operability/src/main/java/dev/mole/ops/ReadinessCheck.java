package dev.mole.ops;

import dev.mole.contracts.storage.BlobStore;
import io.grpc.Deadline;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One connection a process needs before it can do work: {@link #probe} returns when the service answers and throws, with
 * a message saying what is wrong, when it does not. {@code /ready} runs every check of its process.
 */
public record ReadinessCheck(String name, Probe probe) {
    /** How long one probe may take before {@code /ready} reports it not ready. */
    static final long TIMEOUT_SECONDS = 3;

    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    public static ReadinessCheck postgres(DataSource dataSource) {
        return new ReadinessCheck("postgresql", () -> {
            try (Connection c = dataSource.getConnection()) {
                if (!c.isValid((int) TIMEOUT_SECONDS)) {
                    throw new IllegalStateException("the connection did not answer a validation query");
                }
            }
        });
    }

    /** The bucket must exist: a store that answers without the platform's bucket cannot serve any reference. */
    public static ReadinessCheck objectStore(BlobStore store, String bucket) {
        return new ReadinessCheck("object-store", () -> {
            if (!store.bucketExists(bucket)) {
                throw new IllegalStateException("bucket '" + bucket + "' does not exist");
            }
        });
    }

    /** GetSystemInfo: answered by a Temporal cluster and by the Java test server alike. */
    public static ReadinessCheck temporal(WorkflowServiceStubs stubs) {
        return new ReadinessCheck("temporal", () -> stubs.blockingStub()
                .withDeadline(Deadline.after(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
    }
}
