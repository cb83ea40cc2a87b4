package dev.mole.gpu.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.gpu.model.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** All tensors of a checkpoint directory: one {@code model.safetensors}, or shards listed by {@code model.safetensors.index.json}. */
public final class TensorStore implements AutoCloseable {

    public static final String INDEX = "model.safetensors.index.json";

    private final Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    private final List<SafetensorsFile> files = new ArrayList<>();

    private TensorStore() {}

    public static TensorStore open(Path dir) {
        TensorStore s = new TensorStore();
        try {
            Path index = dir.resolve(INDEX);
            if (Files.isRegularFile(index)) {
                JsonNode map;
                try {
                    map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
                } catch (IOException e) {
                    throw new CheckpointException("bad shard index " + index + ": " + e.getMessage(), e);
                }
                if (map == null || !map.isObject()) throw new CheckpointException("shard index " + index + " has no weight_map");
                Map<String, SafetensorsFile> opened = new HashMap<>();
                for (var it = map.fields(); it.hasNext(); ) {
                    var f = it.next();
                    String shard = f.getValue().asText();
                    Path p = dir.resolve(shard);
                    if (!Files.isRegularFile(p)) {
                        throw new CheckpointException("shard '" + shard + "' named in " + INDEX + " (for tensor '" + f.getKey() + "') does not exist");
                    }
                    SafetensorsFile sf = opened.computeIfAbsent(shard, k -> {
                        SafetensorsFile o = SafetensorsFile.open(p);
                        s.files.add(o);
                        return o;
                    });
                    if (!sf.entries().containsKey(f.getKey())) {
                        throw new CheckpointException("tensor '" + f.getKey() + "' is listed in " + INDEX + " under shard '"
                                + shard + "' but that shard does not contain it");
                    }
                    s.byTensor.put(f.getKey(), sf);
                }
            } else {
                List<Path> st;
                try (Stream<Path> list = Files.list(dir)) {
                    st = list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                } catch (IOException e) {
                    throw new CheckpointException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
                }
                if (st.isEmpty()) throw new CheckpointException("no *.safetensors file in " + dir);
                for (Path p : st) {
                    SafetensorsFile sf = SafetensorsFile.open(p);
                    s.files.add(sf);
                    for (String name : sf.entries().keySet()) {
                        SafetensorsFile prev = s.byTensor.put(name, sf);
                        if (prev != null) throw new CheckpointException("tensor '" + name + "' appears in both " + prev.path() + " and " + p);
                    }
                }
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /** Reads a tensor as float32 after checking it exists with the expected shape. */
    public float[] read(String name, long... expectedShape) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) throw new CheckpointException("missing tensor '" + name + "' in checkpoint");
        long[] shape = f.entries().get(name).shape();
        if (!Arrays.equals(shape, expectedShape)) {
            throw new CheckpointException("tensor '" + name + "' has shape " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(expectedShape) + " from config.json");
        }
        return f.readFloats(name);
    }

    public StDType dtypeOf(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) throw new CheckpointException("missing tensor '" + name + "' in checkpoint");
        return f.entries().get(name).dtype();
    }

    @Override
    public void close() {
        for (SafetensorsFile f : files) f.close();
    }
}
