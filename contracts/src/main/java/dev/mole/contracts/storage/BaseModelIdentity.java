package dev.mole.contracts.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
