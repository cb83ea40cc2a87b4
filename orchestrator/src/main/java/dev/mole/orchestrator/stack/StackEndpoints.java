package dev.mole.orchestrator.stack;

import dev.mole.contracts.config.PlatformSettings;
import java.io.IOException;
import java.nio.file.Path;

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
        String bucket) {

    /**
     * Where a platform already running from these settings serves, for a client process that starts nothing (the
     * CLI): configured services as configured, embedded ones on their settings' ports, with the embedded S3 server's
     * credentials read from the platform home.
     *
     * @throws IllegalStateException when the home holds no embedded S3 credentials (no platform ever ran from it)
     */
    public static StackEndpoints ofRunning(PlatformSettings s) {
        String s3 = s.s3Endpoint().orElse(null);
        String access = s.s3AccessKey();
        String secret = s.s3SecretKey();
        if (s3 == null) {
            s3 = EmbeddedS3Server.endpoint(s.bindAddress(), s.s3Port());
            Path file = EmbeddedS3Server.credentialsFile(s.home());
            try {
                String[] credentials = EmbeddedS3Server.storedCredentials(file);
                access = credentials[0];
                secret = credentials[1];
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("no platform runs from " + s.home() + " (it holds no readable S3 "
                        + "credentials in " + file + "): start it with ./mole up, or set MOLE_HOME or MOLE_S3_ENDPOINT");
            }
        }
        return new StackEndpoints(s.temporalTarget().orElse(s.bindAddress() + ":" + s.temporalPort()),
                s.temporalNamespace(), s.jdbcUrl().orElse(EmbeddedPostgresServer.jdbcUrl(s.bindAddress(), s.postgresPort())),
                s.jdbcUser(), s.jdbcPassword(), s3, access, secret, s.bucket());
    }
}
