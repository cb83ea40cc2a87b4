package dev.mole.gpu.training;

import dev.mole.contracts.storage.BlobStore;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** The platform's real BlobStore against an S3 server in this JVM (files under a temp directory). */
final class InProcessS3 implements AutoCloseable {
    final S3Proxy proxy;
    final BlobStore store;

    InProcessS3(Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        java.nio.file.Files.createDirectories(dir);
        proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret-key").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) Thread.sleep(20);
        store = new BlobStore("http://127.0.0.1:" + port, "test-access", "test-secret-key");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
