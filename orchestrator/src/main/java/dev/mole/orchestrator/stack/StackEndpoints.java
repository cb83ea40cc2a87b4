package dev.mole.orchestrator.stack;

/** Resolved addresses of the three services, embedded or external. */
public record StackEndpoints(
        String temporalTarget,
        String temporalNamespace,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String bucket) {}
