package dev.mole.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.AdapterManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trained outputs as the GPU worker lays them out (the contracts' {@link AdapterManifest}, safetensors files of the
 * shapes a base of 2 layers, hidden 8, intermediate 16 needs), without training: the registry checks structure and
 * bytes, not what the numbers mean. Each knob breaks one thing a validation must catch.
 */
public final class TrainedOutputs {
    static final int LAYERS = 2, HIDDEN = 8, INTER = 16;
    static final String[] PROJ = {"gate_proj", "up_proj", "down_proj"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore store;

    public TrainedOutputs(BlobStore store) {
        this.store = store;
    }

    /** A base folder; {@code variant} changes its weights and so its identity. */
    public ObjectRef base(String name, int variant) {
        ObjectRef dir = new ObjectRef(RegistryStack.BUCKET, "bases/" + name + "/");
        String config = "{\"num_hidden_layers\":" + LAYERS + ",\"hidden_size\":" + HIDDEN + ",\"intermediate_size\":" + INTER
                + ",\"num_attention_heads\":2,\"vocab_size\":32}";
        store.put(dir.child("config.json"), config.getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(dir.child("tokenizer.json"), "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(dir.child("model.safetensors"), safetensors(Map.of("w", new long[] {4, 4}), variant), "application/octet-stream");
        return dir;
    }

    public String baseSha(ObjectRef base) {
        return BaseModelIdentity.ofStoredFolder(store, base);
    }

    /** Knobs for {@link #mole} and {@link #allLang}. */
    public static final class Spec {
        long seed = 1;
        String baseSha;
        int shared = 4, expert = 2;
        int fileRankOverride = -1;   // expert_python's file written with this rank
        boolean corruptOneFile;      // a file's bytes differ from its manifest sha256
        boolean peftRsloraOff;       // adapter_config.json says use_rslora false
        boolean peftDropTarget;      // adapter_config.json misses down_proj

        public Spec seed(long s) { seed = s; return this; }
        public Spec base(String sha) { baseSha = sha; return this; }
    }

    /** A MoLE-4+2 output (shared, 8 experts, nl, residual factors) under runs/<run>/seed-<seed>/; returns its manifest. */
    public ObjectRef mole(String run, Spec s) {
        ObjectRef dir = new ObjectRef(RegistryStack.BUCKET, "runs/" + run + "/seed-" + s.seed + "/");
        Map<String, String> files = new TreeMap<>();
        List<AdapterManifest.Adapter> adapters = new ArrayList<>();
        adapter(dir, "shared", null, s.shared, 32, s, files, adapters);
        for (Language l : Language.values()) {
            int r = l == Language.PYTHON && s.fileRankOverride > 0 ? s.fileRankOverride : s.expert;
            adapter(dir, "expert_" + l.id(), null, s.expert, 16, s, files, adapters, r);
        }
        adapter(dir, "nl", null, s.shared + s.expert, 32, s, files, adapters);
        residual(dir, s.shared + s.expert, s, files);
        if (s.corruptOneFile) store.put(dir.child("adapter-shared.safetensors"), "not what the manifest says".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        return manifest(dir, "MOLE", "MOLE", s, adapters, files);
    }

    /** An AllLang-FT r=4 output with its PEFT export. */
    public ObjectRef allLang(String run, Spec s) {
        ObjectRef dir = new ObjectRef(RegistryStack.BUCKET, "runs/" + run + "/seed-" + s.seed + "/");
        Map<String, String> files = new TreeMap<>();
        List<AdapterManifest.Adapter> adapters = new ArrayList<>();
        s.expert = 0;
        adapter(dir, "lora", null, s.shared, 32, s, files, adapters);
        residual(dir, s.shared, s, files);
        Map<String, long[]> peft = new LinkedHashMap<>();
        for (int l = 0; l < LAYERS; l++) {
            for (String p : PROJ) {
                int[] io = inOut(p);
                peft.put("base_model.model.model.layers." + l + ".mlp." + p + ".lora_A.weight", new long[] {2L * s.shared, io[0]});
                peft.put("base_model.model.model.layers." + l + ".mlp." + p + ".lora_B.weight", new long[] {io[1], 2L * s.shared});
            }
        }
        put(dir, "peft/adapter_model.safetensors", safetensors(peft, s.seed), files);
        ObjectNode c = JSON.createObjectNode();
        c.put("peft_type", "LORA").put("task_type", "CAUSAL_LM").put("r", 2 * s.shared).put("lora_alpha", 32 * Math.sqrt(2))
                .put("use_rslora", !s.peftRsloraOff);
        var t = c.putArray("target_modules").add("gate_proj").add("up_proj");
        if (!s.peftDropTarget) t.add("down_proj");
        put(dir, "peft/adapter_config.json", c.toString().getBytes(StandardCharsets.UTF_8), files);
        return manifest(dir, "ALL_LANG", "SINGLE", s, adapters, files);
    }

    private void adapter(ObjectRef dir, String name, String lang, int rank, double alpha, Spec s, Map<String, String> files,
                         List<AdapterManifest.Adapter> adapters) {
        adapter(dir, name, lang, rank, alpha, s, files, adapters, rank);
    }

    private void adapter(ObjectRef dir, String name, String lang, int rank, double alpha, Spec s, Map<String, String> files,
                         List<AdapterManifest.Adapter> adapters, int fileRank) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int l = 0; l < LAYERS; l++) {
            for (String p : PROJ) {
                int[] io = inOut(p);
                shapes.put("model.layers." + l + ".mlp." + p + ".lora_A.weight", new long[] {fileRank, io[0]});
                shapes.put("model.layers." + l + ".mlp." + p + ".lora_B.weight", new long[] {io[1], fileRank});
            }
        }
        String file = "adapter-" + name + ".safetensors";
        put(dir, file, safetensors(shapes, s.seed * 31 + name.hashCode()), files);
        adapters.add(new AdapterManifest.Adapter(name, lang, rank, alpha, alpha / Math.sqrt(rank), file));
    }

    private void residual(ObjectRef dir, int k, Spec s, Map<String, String> files) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int l = 0; l < LAYERS; l++) {
            for (String p : PROJ) {
                int[] io = inOut(p);
                shapes.put("model.layers." + l + ".mlp." + p + ".U", new long[] {io[1], k});
                shapes.put("model.layers." + l + ".mlp." + p + ".SVt", new long[] {k, io[0]});
            }
        }
        put(dir, "base-residual-factors.safetensors", safetensors(shapes, 7), files);
    }

    private ObjectRef manifest(ObjectRef dir, String method, String layout, Spec s, List<AdapterManifest.Adapter> adapters,
                               Map<String, String> files) {
        AdapterManifest m = new AdapterManifest(AdapterManifest.FORMAT, method, layout, "SHARED_FIRST", "RANDOMIZED", s.shared,
                s.expert, 1234, adapters, "base-residual-factors.safetensors", "svdkey", s.baseSha, "dataset-1", s.seed, null,
                10, 0, Map.of("main", Map.of("all", 1.5)), files, null);
        ObjectRef ref = dir.child(AdapterManifest.FILE);
        store.put(ref, m.toJson(), "application/json");
        return ref;
    }

    private void put(ObjectRef dir, String name, byte[] data, Map<String, String> files) {
        store.put(dir.child(name), data, "application/octet-stream");
        files.put(name, BaseModelIdentity.sha256(data));
    }

    static int[] inOut(String proj) {
        return proj.equals("down_proj") ? new int[] {INTER, HIDDEN} : new int[] {HIDDEN, INTER};
    }

    /** A valid F32 safetensors file with random values. */
    static byte[] safetensors(Map<String, long[]> shapes, long seed) {
        StringBuilder h = new StringBuilder("{");
        long offset = 0;
        for (var e : shapes.entrySet()) {
            long n = 4;
            for (long d : e.getValue()) n *= d;
            if (h.length() > 1) h.append(',');
            h.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[");
            for (int i = 0; i < e.getValue().length; i++) h.append(i == 0 ? "" : ",").append(e.getValue()[i]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Random r = new Random(seed);
        while (b.hasRemaining()) b.put((byte) r.nextInt());
        return b.array();
    }
}
