package dev.mole.gpu.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/** Tiny checkpoints written once per test JVM under the test tmp dir and shared across test classes. */
final class TestCheckpoints {
    private static final ConcurrentHashMap<TinyCheckpointFactory.Options, Path> CACHE = new ConcurrentHashMap<>();

    private TestCheckpoints() {}

    static Path get(TinyCheckpointFactory.Options o) {
        return CACHE.computeIfAbsent(o, k -> {
            try {
                Path base = Path.of(System.getProperty("java.io.tmpdir"));
                Files.createDirectories(base);
                return TinyCheckpointFactory.write(Files.createTempDirectory(base, "tiny-ckpt-"), k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Path defaults() {
        return get(TinyCheckpointFactory.Options.defaults());
    }

    /** A fixed sequence mixing prompt words, code and bytes outside the merged words. */
    static int[] sampleIds(LlamaModel m, String text) {
        var enc = m.tokenizer().encode(text);
        long[] ids = enc.getIds();
        int[] out = new int[ids.length + 1];
        out[0] = m.config().bosTokenId();
        for (int i = 0; i < ids.length; i++) out[i + 1] = (int) ids[i];
        return out;
    }

    static final String TEXT = "@@ Instruction\nWrite a function\n```python\ndef add(x, n):\n    return x + n\n```\nHere";
}
