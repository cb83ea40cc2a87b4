package dev.mole.gpu.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.gpu.model.internal.ByteLevelBpeTokenizerWriter;
import dev.mole.gpu.model.internal.SafetensorsWriter;
import dev.mole.gpu.model.internal.StDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes small LLaMA-format checkpoints (config.json, safetensors, a real byte-level BPE tokenizer.json) deterministically
 * from a seed, for tests and the demo. Same options, same bytes.
 */
public final class TinyCheckpointFactory {

    public static final String BOS = "<s>";
    public static final String EOS = "</s>";

    /** Words that become single tokens: the prompt template, fences and a few code keywords. */
    static final List<String> WORDS = List.of(
            "You", " are", " an", " exceptionally", " intelligent", " coding", " assistant", " that", " consistently",
            " delivers", " accurate", " and", " reliable", " responses", " to", " user", " instructions", "@@",
            " Instruction", " Response", "\n\n", "```", "python", "cpp", "java", "javascript", "rust", "go", "csharp", "c",
            " def", " return", " int", " for", " if", " else", " print", " fn", " func", " class", " public", " static",
            " void", " the", " a", " of", " in", " is", " Write", " function", "    ", "        ", "();", "()", " {",
            " }", " =", " +", " i", " x", " n", " let", " const", " main", " import", " package", " std", " string",
            " list", " sum", " add", " value", " Here", " code");

    /** Options of a tiny checkpoint. */
    public record Options(int hidden, int layers, int heads, int kvHeads, int intermediate, double ropeTheta,
                          double ropeLinearFactor, boolean tiedEmbeddings, String dtype, int shards, long seed,
                          int maxPositions, boolean qwen2) {
        public static Options defaults() {
            // intermediate a multiple of 8 and large max positions: Jlama (the test oracle) needs both
            return new Options(64, 2, 4, 2, 176, 10000.0, 4.0, false, "F32", 1, 42L, 4096, false);
        }

        public Options withDtype(String d) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, ropeLinearFactor, tiedEmbeddings, d, shards, seed, maxPositions, qwen2);
        }

        public Options withShards(int s) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, ropeLinearFactor, tiedEmbeddings, dtype, s, seed, maxPositions, qwen2);
        }

        public Options withTied(boolean t) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, ropeLinearFactor, t, dtype, shards, seed, maxPositions, qwen2);
        }

        public Options withSeed(long s) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, ropeLinearFactor, tiedEmbeddings, dtype, shards, s, maxPositions, qwen2);
        }

        public Options withHeads(int h, int kv) {
            return new Options(hidden, layers, h, kv, intermediate, ropeTheta, ropeLinearFactor, tiedEmbeddings, dtype, shards, seed, maxPositions, qwen2);
        }

        public Options withRopeLinearFactor(double f) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, f, tiedEmbeddings, dtype, shards, seed, maxPositions, qwen2);
        }

        /**
         * A Qwen2 checkpoint ({@code Qwen2ForCausalLM}): the LLaMA layout plus q/k/v biases, rope theta 1e6 without
         * scaling, as Qwen1.5 / Qwen2 write it.
         */
        public Options withQwen2() {
            return new Options(hidden, layers, heads, kvHeads, intermediate, 1_000_000.0, 1.0, tiedEmbeddings, dtype, shards, seed, maxPositions, true);
        }

        public Options withSize(int hidden, int layers, int intermediate) {
            return new Options(hidden, layers, heads, kvHeads, intermediate, ropeTheta, ropeLinearFactor, tiedEmbeddings, dtype, shards, seed, maxPositions, qwen2);
        }
    }

    private TinyCheckpointFactory() {}

    public static Path write(Path dir, Options o) {
        try {
            Files.createDirectories(dir);
            int vocab = ByteLevelBpeTokenizerWriter.write(dir.resolve("tokenizer.json"), List.of(BOS, EOS), WORDS);
            writeConfig(dir, o, vocab);
            writeWeights(dir, o, vocab);
            ObjectNode tc = new ObjectMapper().createObjectNode();
            tc.put("bos_token", BOS).put("eos_token", EOS).put("add_bos_token", true).put("add_eos_token", false)
                    .put("model_max_length", o.maxPositions()).put("tokenizer_class", "LlamaTokenizerFast");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeConfig(Path dir, Options o, int vocab) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode c = om.createObjectNode();
        c.putArray("architectures").add(o.qwen2() ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        c.put("model_type", o.qwen2() ? "qwen2" : "llama");
        if (o.qwen2()) c.put("use_sliding_window", false).put("sliding_window", o.maxPositions()).put("max_window_layers", o.layers());
        c.put("hidden_size", o.hidden());
        c.put("num_hidden_layers", o.layers());
        c.put("num_attention_heads", o.heads());
        c.put("num_key_value_heads", o.kvHeads());
        c.put("intermediate_size", o.intermediate());
        c.put("hidden_act", "silu");
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", o.ropeTheta());
        // DeepSeek-Coder writes "type"; newer Hugging Face configs (and Jlama) read "rope_type": write both
        if (o.ropeLinearFactor() != 1.0) {
            c.putObject("rope_scaling").put("type", "linear").put("rope_type", "linear").put("factor", o.ropeLinearFactor());
        }
        else c.putNull("rope_scaling");
        c.put("vocab_size", vocab);
        c.put("bos_token_id", 0);
        c.put("eos_token_id", 1);
        c.put("tie_word_embeddings", o.tiedEmbeddings());
        c.put("max_position_embeddings", o.maxPositions());
        c.put("torch_dtype", switch (o.dtype()) { case "BF16" -> "bfloat16"; case "F16" -> "float16"; default -> "float32"; });
        om.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
    }

    private static void writeWeights(Path dir, Options o, int vocab) throws IOException {
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int h = o.hidden(), hd = h / o.heads(), q = o.heads() * hd, kv = o.kvHeads() * hd, im = o.intermediate();
        List<Map<String, SafetensorsWriter.Tensor>> shards = new ArrayList<>();
        for (int s = 0; s < o.shards(); s++) shards.add(new LinkedHashMap<>());
        Map<String, SafetensorsWriter.Tensor> first = shards.get(0);
        first.put("model.embed_tokens.weight", uniform(rnd, vocab, h, 1.0));
        for (int l = 0; l < o.layers(); l++) {
            Map<String, SafetensorsWriter.Tensor> t = shards.get(l % o.shards());
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", norm(rnd, h));
            t.put(p + "self_attn.q_proj.weight", linear(rnd, q, h));
            t.put(p + "self_attn.k_proj.weight", linear(rnd, kv, h));
            t.put(p + "self_attn.v_proj.weight", linear(rnd, kv, h));
            t.put(p + "self_attn.o_proj.weight", linear(rnd, h, q));
            if (o.qwen2()) {
                // biases of the size Qwen's are (about 0.1-1 against unit activations), so a missed one shows in the logits
                t.put(p + "self_attn.q_proj.bias", bias(rnd, q));
                t.put(p + "self_attn.k_proj.bias", bias(rnd, kv));
                t.put(p + "self_attn.v_proj.bias", bias(rnd, kv));
            }
            t.put(p + "post_attention_layernorm.weight", norm(rnd, h));
            t.put(p + "mlp.gate_proj.weight", linear(rnd, im, h));
            t.put(p + "mlp.up_proj.weight", linear(rnd, im, h));
            t.put(p + "mlp.down_proj.weight", linear(rnd, h, im));
        }
        Map<String, SafetensorsWriter.Tensor> last = shards.get(o.shards() - 1);
        last.put("model.norm.weight", norm(rnd, h));
        if (!o.tiedEmbeddings()) last.put("lm_head.weight", linear(rnd, vocab, h));
        StDType dt = StDType.valueOf(o.dtype());
        if (o.shards() == 1) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), first, dt);
            return;
        }
        ObjectMapper om = new ObjectMapper();
        ObjectNode index = om.createObjectNode();
        ObjectNode wm = om.createObjectNode();
        long total = 0;
        for (int s = 0; s < o.shards(); s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, o.shards());
            SafetensorsWriter.write(dir.resolve(name), shards.get(s), dt);
            for (var e : shards.get(s).entrySet()) {
                wm.put(e.getKey(), name);
                total += (long) e.getValue().data().length * dt.bytes;
            }
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", wm);
        om.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    }

    /** Uniform weights with variance 1/in, so activations keep their scale through the layers. */
    private static SafetensorsWriter.Tensor linear(SplittableRandom rnd, int out, int in) {
        return uniform(rnd, out, in, 1.0 / Math.sqrt(in));
    }

    private static SafetensorsWriter.Tensor uniform(SplittableRandom rnd, int rows, int cols, double std) {
        float[] d = new float[rows * cols];
        double b = Math.sqrt(3.0) * std;
        for (int i = 0; i < d.length; i++) d[i] = (float) ((rnd.nextDouble() * 2 - 1) * b);
        return new SafetensorsWriter.Tensor(new long[] {rows, cols}, d);
    }

    private static SafetensorsWriter.Tensor bias(SplittableRandom rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.5);
        return new SafetensorsWriter.Tensor(new long[] {n}, d);
    }

    /** Norm weights near one but not exactly, so a missing norm multiply shows up in the checks. */
    private static SafetensorsWriter.Tensor norm(SplittableRandom rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (1.0 + (rnd.nextDouble() - 0.5) * 0.4);
        return new SafetensorsWriter.Tensor(new long[] {n}, d);
    }
}
