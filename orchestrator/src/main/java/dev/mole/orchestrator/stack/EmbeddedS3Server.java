package dev.mole.orchestrator.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy) with a filesystem backend: objects are plain files under the platform home, so they
 * survive restarts. Credentials are generated once and kept (mode 0600) beside the data.
 */
final class EmbeddedS3Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);
    private final S3Proxy proxy;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3Server(S3Proxy proxy, String endpoint, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    static EmbeddedS3Server start(Path home, String bindAddress, int port) {
        Path dataDir = home.resolve("s3/data");
        String[] credentials = credentials(credentialsFile(home));
        PortGuard.requireFree(bindAddress, port, "embedded S3 server", "MOLE_S3_PORT");
        int actualPort = port == 0 ? PortGuard.freePort(bindAddress) : port;
        String endpoint = endpoint(bindAddress, actualPort);
        try {
            Files.createDirectories(dataDir);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
                    .endpoint(URI.create(endpoint))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials[0], credentials[1])
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new StackStartException("embedded S3 server did not reach STARTED (state " + proxy.getState() + ")");
                }
                Thread.sleep(20);
            }
            log.info("embedded S3 server on {} (data {})", endpoint, dataDir);
            return new EmbeddedS3Server(proxy, endpoint, credentials[0], credentials[1]);
        } catch (StackStartException e) {
            throw e;
        } catch (Exception e) {
            throw new StackStartException("embedded S3 server did not start on " + endpoint + ": "
                    + EmbeddedPostgresServer.rootMessage(e), e);
        }
    }

    private static String[] credentials(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                SecureRandom random = new SecureRandom();
                byte[] secret = new byte[24];
                random.nextBytes(secret);
                String text = "mole\n" + HexFormat.of().formatHex(secret) + "\n";
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // non-POSIX file system: the home directory's own permissions protect it
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return storedCredentials(file);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new StackStartException("cannot read or create S3 credentials in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Access key and secret key as the server keeps them in its credentials file; for clients of a running server. */
    static String[] storedCredentials(Path file) throws IOException {
        var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return new String[] {lines.get(0).trim(), lines.get(1).trim()};
    }

    static Path credentialsFile(Path home) {
        return home.resolve("s3/credentials");
    }

    static String endpoint(String bindAddress, int port) {
        return "http://" + bindAddress + ":" + port;
    }

    String endpoint() {
        return endpoint;
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
