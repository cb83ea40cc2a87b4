package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.gpu.model.internal.SafetensorsFile;
import dev.mole.gpu.model.internal.SafetensorsWriter;
import dev.mole.gpu.model.internal.StDType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a checkpoint can be broken fails at load with a message naming the problem. */
class CheckpointErrorsTest {

    @TempDir Path tmp;

    private Path fresh() {
        return TinyCheckpointFactory.write(tmp.resolve("ck"), TinyCheckpointFactory.Options.defaults().withSize(32, 1, 64));
    }

    private void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode c = (ObjectNode) om.readTree(dir.resolve("config.json").toFile());
        edit.accept(c);
        om.writeValue(dir.resolve("config.json").toFile(), c);
    }

    private static void rewriteWeights(Path dir, Consumer<Map<String, SafetensorsWriter.Tensor>> edit) throws IOException {
        Path f = dir.resolve("model.safetensors");
        Map<String, SafetensorsWriter.Tensor> all = new LinkedHashMap<>();
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            for (var e : sf.entries().values()) all.put(e.name(), new SafetensorsWriter.Tensor(e.shape(), sf.readFloats(e.name())));
        }
        edit.accept(all);
        SafetensorsWriter.write(f, all, StDType.F32);
    }

    @Test
    void loadsWhenIntact() {
        try (LlamaModel m = LlamaModel.load(fresh())) {
            assertThat(m.config().hiddenSize()).isEqualTo(32);
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path dir = fresh();
        rewriteWeights(dir, t -> t.remove("model.layers.0.mlp.up_proj.weight"));
        assertThatThrownBy(() -> LlamaModel.load(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing tensor 'model.layers.0.mlp.up_proj.weight'");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Path dir = fresh();
        editConfig(dir, c -> c.put("intermediate_size", 72));
        assertThatThrownBy(() -> LlamaModel.load(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight").hasMessageContaining("[64, 32]")
                .hasMessageContaining("expected [72, 32]");
    }

    @Test
    void unknownArchitectureIsNamed() throws IOException {
        Path dir = fresh();
        editConfig(dir, c -> {
            c.putArray("architectures").add("GPT2LMHeadModel");
            c.put("model_type", "gpt2");
        });
        assertThatThrownBy(() -> LlamaModel.load(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("unsupported architecture [GPT2LMHeadModel]");
    }

    @Test
    void qwen2BiasesAreReadAndLlamaAttentionBiasIsRefused() throws IOException {
        Path dir = TinyCheckpointFactory.write(tmp.resolve("qwen"), TinyCheckpointFactory.Options.defaults().withSize(32, 1, 64).withQwen2());
        float[][] withBias;
        int[] ids = {0, 5, 9, 17, 3};
        try (LlamaModel m = LlamaModel.load(dir)) {
            assertThat(m.config().qkvBias()).isTrue();
            assertThat(m.weights()).containsKey("model.layers.0.self_attn.q_proj.bias");
            withBias = m.logits(ids, null);
        }
        // the same weights without the biases must give other logits, or the Jlama comparison would prove nothing
        rewriteWeights(dir, t -> t.keySet().removeIf(k -> k.endsWith("_proj.bias")));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("missing tensor 'model.layers.0.self_attn.q_proj.bias'");
        editConfig(dir, c -> {
            c.putArray("architectures").add("LlamaForCausalLM");
            c.put("model_type", "llama");
        });
        try (LlamaModel m = LlamaModel.load(dir)) {
            float[][] without = m.logits(ids, null);
            double max = 0;
            for (int p = 0; p < ids.length; p++) for (int v = 0; v < without[p].length; v++) max = Math.max(max, Math.abs(without[p][v] - withBias[p][v]));
            assertThat(max).isGreaterThan(1e-2);
        }
        editConfig(dir, c -> c.put("attention_bias", true));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("attention_bias true is not supported");
    }

    @Test
    void qwen2SlidingWindowIsRefused() throws IOException {
        Path dir = TinyCheckpointFactory.write(tmp.resolve("qwen-sw"), TinyCheckpointFactory.Options.defaults().withSize(32, 1, 64).withQwen2());
        editConfig(dir, c -> c.put("use_sliding_window", true).put("sliding_window", 128));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("sliding-window attention");
    }

    @Test
    void unsupportedRopeScalingIsNamed() throws IOException {
        Path dir = fresh();
        editConfig(dir, c -> c.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("unsupported rope_scaling type 'dynamic'");
    }

    @Test
    void missingConfigFieldIsNamed() throws IOException {
        Path dir = fresh();
        editConfig(dir, c -> c.remove("num_hidden_layers"));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("'num_hidden_layers' missing");
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        Path dir = fresh();
        Path f = dir.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        assertThatThrownBy(() -> LlamaModel.load(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is truncated").hasMessageContaining("lm_head.weight");
    }

    @Test
    void badHeaderLengthIsNamed() throws IOException {
        Path dir = fresh();
        Path f = dir.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        }
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("bad header length");
    }

    @Test
    void headerThatIsNotJsonIsNamed() throws IOException {
        Path dir = fresh();
        byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + junk.length).order(ByteOrder.LITTLE_ENDIAN).putLong(junk.length).put(junk);
        Files.write(dir.resolve("model.safetensors"), b.array());
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("header that is not valid JSON");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        Path dir = fresh();
        String header = "{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        byte[] hb = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hb.length + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).put(hb).putLong(0);
        Files.write(dir.resolve("model.safetensors"), b.array());
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("unsupported dtype 'I64'");
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Path dir = TinyCheckpointFactory.write(tmp.resolve("sharded"),
                TinyCheckpointFactory.Options.defaults().withSize(32, 2, 64).withShards(2));
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("shard 'model-00002-of-00002.safetensors'")
                .hasMessageContaining("does not exist");
    }

    @Test
    void missingTokenizerIsNamed() throws IOException {
        Path dir = fresh();
        Files.delete(dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> LlamaModel.load(dir)).hasMessageContaining("missing tokenizer.json");
    }

    @Test
    void factoryIsDeterministic() throws IOException {
        var o = TinyCheckpointFactory.Options.defaults().withSize(32, 1, 64).withDtype("BF16");
        Path a = TinyCheckpointFactory.write(tmp.resolve("a"), o), b = TinyCheckpointFactory.write(tmp.resolve("b"), o);
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
        }
        Path c = TinyCheckpointFactory.write(tmp.resolve("c"), o.withSeed(43));
        assertThat(Files.readAllBytes(c.resolve("model.safetensors"))).isNotEqualTo(Files.readAllBytes(a.resolve("model.safetensors")));
    }

    @Test
    void bf16IsWidenedExactly() throws IOException {
        // bf16 keeps the top 16 bits of a float32: reading must give back exactly the rounded value, never abort DJL
        Path f = tmp.resolve("one.safetensors");
        float[] data = {1.0f, -2.5f, 3.14159f, 1e-3f};
        SafetensorsWriter.write(f, Map.of("w", new SafetensorsWriter.Tensor(new long[] {4}, data)), StDType.BF16);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            float[] back = sf.readFloats("w");
            for (int i = 0; i < data.length; i++) {
                assertThat(back[i]).isEqualTo(Float.intBitsToFloat((SafetensorsWriter.toBf16(data[i]) & 0xFFFF) << 16));
                assertThat((double) back[i]).isCloseTo((double) data[i], org.assertj.core.data.Offset.offset(Math.abs(data[i]) / 128.0));
            }
        }
    }
}
