package dev.mole.gpu.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a Hugging Face LLaMA-family {@code config.json} that the forward pass needs.
 *
 * <p>Rope scaling: only {@code linear} is supported (DeepSeek-Coder uses linear, factor 4); any other type fails at load
 * rather than silently producing different positions.
 */
public record LlamaConfig(
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        double rmsNormEps,
        double ropeTheta,
        double ropeLinearFactor,
        int vocabSize,
        int bosTokenId,
        int eosTokenId,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        boolean qkvBias) {

    /** LLaMA, and Qwen2 (Qwen1.5 / Qwen2 / Qwen2.5): the LLaMA layout plus biases on q, k and v. */
    public static final List<String> SUPPORTED_ARCHITECTURES = List.of("LlamaForCausalLM", "Qwen2ForCausalLM");

    public LlamaConfig {
        require(hiddenSize > 0, "hidden_size must be positive, got " + hiddenSize);
        require(numLayers > 0, "num_hidden_layers must be positive, got " + numLayers);
        require(numHeads > 0, "num_attention_heads must be positive, got " + numHeads);
        require(numKvHeads > 0 && numHeads % numKvHeads == 0,
                "num_key_value_heads (" + numKvHeads + ") must divide num_attention_heads (" + numHeads + ")");
        require(headDim > 0 && headDim % 2 == 0, "head dimension must be positive and even, got " + headDim);
        require(intermediateSize > 0, "intermediate_size must be positive, got " + intermediateSize);
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(ropeLinearFactor >= 1.0, "rope_scaling.factor must be >= 1, got " + ropeLinearFactor);
        require(bosTokenId >= 0 && bosTokenId < vocabSize, "bos_token_id " + bosTokenId + " outside vocab " + vocabSize);
        require(eosTokenId >= 0 && eosTokenId < vocabSize, "eos_token_id " + eosTokenId + " outside vocab " + vocabSize);
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    public static LlamaConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw new CheckpointException("missing config.json: " + configJson);
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new CheckpointException("config.json is not valid JSON: " + configJson + ": " + e.getMessage(), e);
        }
        return parse(n, configJson.toString());
    }

    static LlamaConfig parse(JsonNode n, String where) {
        List<String> archs = new ArrayList<>();
        if (n.has("architectures")) n.get("architectures").forEach(a -> archs.add(a.asText()));
        String modelType = n.path("model_type").asText("");
        if (archs.stream().noneMatch(SUPPORTED_ARCHITECTURES::contains)) {
            throw new CheckpointException("unsupported architecture " + archs + " (model_type '" + modelType + "') in "
                    + where + "; supported: " + SUPPORTED_ARCHITECTURES);
        }
        boolean qwen2 = archs.contains("Qwen2ForCausalLM");
        if (!qwen2 && n.path("attention_bias").asBoolean(false)) {
            // LLaMA's attention_bias puts biases on q, k, v AND o; no supported checkpoint does, so refuse rather than drop them
            throw new CheckpointException("attention_bias true is not supported for LlamaForCausalLM in " + where);
        }
        if (qwen2 && n.path("use_sliding_window").asBoolean(false)
                && n.path("sliding_window").asInt(Integer.MAX_VALUE) < n.path("max_position_embeddings").asInt(32768)) {
            throw new CheckpointException("Qwen2 sliding-window attention (use_sliding_window, window "
                    + n.path("sliding_window").asInt() + ") is not supported in " + where + "; full attention only");
        }
        String act = n.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new CheckpointException("unsupported hidden_act '" + act + "' in " + where + " (SwiGLU needs silu)");
        }
        int hidden = requiredInt(n, "hidden_size", where);
        int heads = requiredInt(n, "num_attention_heads", where);
        int kvHeads = n.has("num_key_value_heads") && !n.get("num_key_value_heads").isNull()
                ? n.get("num_key_value_heads").asInt() : heads;
        int headDim = n.has("head_dim") && !n.get("head_dim").isNull() ? n.get("head_dim").asInt() : hidden / heads;
        if (!n.has("head_dim") && hidden % heads != 0) {
            throw new CheckpointException("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        double factor = 1.0;
        JsonNode rs = n.get("rope_scaling");
        if (rs != null && !rs.isNull()) {
            String type = rs.has("rope_type") ? rs.get("rope_type").asText() : rs.path("type").asText("");
            if (type.equals("linear")) {
                if (!rs.has("factor")) throw new CheckpointException("rope_scaling 'linear' without factor in " + where);
                factor = rs.get("factor").asDouble();
            } else if (!type.equals("default")) {
                throw new CheckpointException("unsupported rope_scaling type '" + type + "' in " + where
                        + " (supported: linear)");
            }
        }
        return new LlamaConfig(
                hidden,
                requiredInt(n, "num_hidden_layers", where),
                heads,
                kvHeads,
                headDim,
                requiredInt(n, "intermediate_size", where),
                n.path("rms_norm_eps").asDouble(1e-6),
                n.path("rope_theta").asDouble(10000.0),
                factor,
                requiredInt(n, "vocab_size", where),
                tokenId(n, "bos_token_id", where),
                tokenId(n, "eos_token_id", where),
                n.path("tie_word_embeddings").asBoolean(false),
                n.path("max_position_embeddings").asInt(2048),
                qwen2);
    }

    private static int tokenId(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new CheckpointException("config.json field '" + field + "' missing in " + where);
        // Some checkpoints list several eos ids; the first is the one the tokenizer appends.
        if (v.isArray()) return v.get(0).asInt();
        return v.asInt();
    }

    private static int requiredInt(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new CheckpointException("config.json field '" + field + "' missing or not an integer in " + where);
        }
        return v.asInt();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new CheckpointException("invalid config: " + message);
    }
}
