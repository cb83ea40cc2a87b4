package dev.mole.contracts.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.SourceObject;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The platform's only door to object storage (MinIO in production, the embedded S3 server locally). Every write is a
 * single S3 PUT, which S3 makes visible all at once: a reader never sees half an object.
 */
public final class BlobStore {
    private final MinioClient client;

    public BlobStore(String endpoint, String accessKey, String secretKey) {
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    }

    public void ensureBucket(String bucket) {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        }, "create bucket " + bucket);
    }

    /** Whether the bucket exists; throws when the store does not answer (readiness probes tell the two apart). */
    public boolean bucketExists(String bucket) {
        return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "look up bucket " + bucket);
    }

    public void put(ObjectRef ref, byte[] data, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
                .stream(new ByteArrayInputStream(data), (long) data.length, -1L).contentType(contentType).build()),
                "write " + ref);
    }

    public void putFile(ObjectRef ref, Path file, String contentType) {
        call(() -> client.uploadObject(UploadObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
                .filename(file.toString()).contentType(contentType).build()), "upload " + file + " to " + ref);
    }

    /** Streams {@code size} bytes into one object (a single PUT, or a multipart upload made visible at once). */
    public void putStream(ObjectRef ref, InputStream data, long size, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
                .stream(data, size, -1L).contentType(contentType).build()), "write " + ref);
    }

    /** A server-side copy: the bytes do not pass through this process. */
    public void copy(ObjectRef from, ObjectRef to) {
        call(() -> client.copyObject(CopyObjectArgs.builder().bucket(to.bucket()).object(to.key())
                .source(SourceObject.builder().bucket(from.bucket()).object(from.key()).build()).build()),
                "copy " + from + " to " + to);
    }

    /**
     * A URL that lets whoever holds it GET the object until it expires, without credentials. Its host is the endpoint
     * this store was configured with, so clients must be able to reach that endpoint (see docs/architecture.md).
     */
    public String presignedGet(ObjectRef ref, Duration validFor) {
        return call(() -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.GET)
                .bucket(ref.bucket()).object(ref.key()).expiry((int) validFor.toSeconds()).build()), "presign " + ref);
    }

    /** Opens an object for streaming; the caller closes the stream. */
    public InputStream open(ObjectRef ref) {
        return call(() -> client.getObject(GetObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).build()),
                "read " + ref);
    }

    public byte[] read(ObjectRef ref) {
        try (InputStream in = open(ref)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
        }
    }

    /** Size in bytes, or empty when the object does not exist. */
    public Optional<Long> size(ObjectRef ref) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).build()).size());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw new ObjectStoreException("cannot stat " + ref + ": " + e.getMessage(), e);
        } catch (MinioException e) {
            throw new ObjectStoreException("cannot stat " + ref + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(ObjectRef ref) {
        return size(ref).isPresent();
    }

    public List<ObjectRef> list(ObjectRef prefix) {
        List<ObjectRef> refs = new ArrayList<>();
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(prefix.bucket()).prefix(prefix.key())
                .recursive(true).build())) {
            Item item = call(r::get, "list " + prefix);
            refs.add(new ObjectRef(prefix.bucket(), item.objectName()));
        }
        return refs;
    }

    public void delete(ObjectRef ref) {
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).build());
            return null;
        }, "delete " + ref);
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse() == null ? "" : e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code);
    }

    private interface MinioCall<T> {
        T run() throws MinioException;
    }

    private static <T> T call(MinioCall<T> call, String what) {
        try {
            return call.run();
        } catch (MinioException e) {
            throw new ObjectStoreException("object store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** Unchecked, so storage failures surface as activity failures that Temporal retries. */
    public static final class ObjectStoreException extends RuntimeException {
        public ObjectStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
