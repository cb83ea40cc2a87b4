package dev.mole.contracts.storage;

import java.util.Objects;

/**
 * A pointer to an object in the object store. Large data crosses Temporal only as one of these:
 * payloads are capped at 2 MB and history must stay small.
 */
public record ObjectRef(String bucket, String key) {
    public ObjectRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (bucket.isBlank() || key.isBlank()) {
            throw new IllegalArgumentException("object reference needs a bucket and a key: s3://" + bucket + "/" + key);
        }
    }

    /** Parses {@code s3://bucket/key/with/slashes}. */
    public static ObjectRef parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an object-store URI (expected s3://bucket/key): " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("object-store URI needs a bucket and a key: " + uri);
        }
        return new ObjectRef(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public static boolean isObjectUri(String uri) {
        return uri != null && uri.startsWith("s3://");
    }

    public ObjectRef child(String name) {
        return new ObjectRef(bucket, key.endsWith("/") ? key + name : key + "/" + name);
    }

    /** The object named {@code name} in the same folder as this one. */
    public ObjectRef sibling(String name) {
        int slash = key.lastIndexOf('/');
        return new ObjectRef(bucket, slash < 0 ? name : key.substring(0, slash + 1) + name);
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri();
    }
}
