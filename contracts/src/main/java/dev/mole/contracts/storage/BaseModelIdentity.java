package dev.mole.contracts.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a base checkpoint: sha256 of the sorted lines "name sha256" of its model-defining files. Trained
 * outputs record it, and whoever loads or evaluates adapters checks it, from a local folder or from object-store objects
 * alike; this is the one place the formula lives.
 */
public final class BaseModelIdentity {
    private BaseModelIdentity() {}

    /** config.json, tokenizer.json and the weights decide what a base model computes; nothing else in its folder does. */
    public static boolean isModelDefining(String fileName) {
        return fileName.equals("config.json") || fileName.equals("tokenizer.json") || fileName.endsWith(".safetensors")
                || fileName.endsWith(".safetensors.index.json");
    }

    /** @param sha256ByFileName hex sha256 of each model-defining file, keyed by its name in the folder */
    public static String of(Map<String, String> sha256ByFileName) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(sha256ByFileName).forEach((name, sha) -> sb.append(name).append(' ').append(sha).append('\n'));
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The identity of a base folder in the object store (every model-defining object directly in it, streamed once).
     * Fails with IllegalArgumentException when the folder holds no config.json.
     */
    public static String ofStoredFolder(BlobStore store, ObjectRef folder) {
        String prefix = folder.key().endsWith("/") ? folder.key() : folder.key() + "/";
        List<ObjectRef> refs = store.list(new ObjectRef(folder.bucket(), prefix));
        Map<String, String> shas = new TreeMap<>();
        for (ObjectRef ref : refs) {
            String name = ref.key().substring(prefix.length());
            if (!name.contains("/") && isModelDefining(name)) {
                shas.put(name, sha256(store, ref));
            }
        }
        if (!shas.containsKey("config.json")) {
            throw new IllegalArgumentException("no base model at " + folder + " (its folder holds no config.json)");
        }
        return of(shas);
    }

    /** Hex sha256 of an object, streamed. */
    public static String sha256(BlobStore store, ObjectRef ref) {
        try (DigestInputStream in = new DigestInputStream(store.open(ref), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
        }
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
