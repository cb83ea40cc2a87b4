package dev.mole.gpu.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mole.gpu.model.internal.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face LLaMA-family checkpoint directory opened for reading: parsed config, memory-mapped tensors (single file or
 * shards) and the tokenizer. Nothing is copied until a tensor is read.
 */
public final class LlamaCheckpoint implements AutoCloseable {

    private final Path dir;
    private final LlamaConfig config;
    private final TensorStore tensors;
    private HuggingFaceTokenizer tokenizer;

    private LlamaCheckpoint(Path dir, LlamaConfig config, TensorStore tensors) {
        this.dir = dir;
        this.config = config;
        this.tensors = tensors;
    }

    public static LlamaCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("checkpoint directory does not exist: " + dir);
        LlamaConfig config = LlamaConfig.read(dir.resolve("config.json"));
        return new LlamaCheckpoint(dir, config, TensorStore.open(dir));
    }

    public Path dir() {
        return dir;
    }

    public LlamaConfig config() {
        return config;
    }

    public TensorStore tensors() {
        return tensors;
    }

    /** The tokenizer from {@code tokenizer.json}, special tokens NOT added automatically (the prompt template adds bos/eos). */
    public synchronized HuggingFaceTokenizer tokenizer() {
        if (tokenizer == null) tokenizer = loadTokenizer(dir);
        return tokenizer;
    }

    public static HuggingFaceTokenizer loadTokenizer(Path dir) {
        Path tj = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tj)) throw new CheckpointException("missing tokenizer.json in " + dir);
        try {
            return HuggingFaceTokenizer.builder().optTokenizerPath(tj).optAddSpecialTokens(false)
                    .optTruncation(false).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot load tokenizer.json in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        tensors.close();
        if (tokenizer != null) tokenizer.close();
    }
}
