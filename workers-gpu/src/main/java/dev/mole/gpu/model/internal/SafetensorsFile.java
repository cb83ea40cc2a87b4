package dev.mole.gpu.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.gpu.model.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file, header parsed and validated up front; tensor data is memory-mapped per tensor
 * ({@link FileChannel#map}) so files over 2 GB work and nothing is read that is not asked for.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Header entry of one tensor; offsets are absolute positions in the file. */
    public record Entry(String name, StDType dtype, long[] shape, long start, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException("cannot open safetensors file " + path + ": " + e.getMessage(), e);
        }
        try {
            return new SafetensorsFile(path, ch, parseHeader(path, ch));
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static Map<String, Entry> parseHeader(Path path, FileChannel ch) {
        try {
            long size = ch.size();
            if (size < 8) throw new CheckpointException("safetensors file " + path + " is truncated: " + size + " bytes, no header");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new CheckpointException("safetensors file " + path + " has a bad header length " + headerLen
                        + " (file is " + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(hb.array());
            } catch (IOException e) {
                throw new CheckpointException("safetensors file " + path + " has a header that is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException("safetensors file " + path + " has a header that is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                if (name.equals("__metadata__")) continue;
                JsonNode t = f.getValue();
                JsonNode shapeNode = t.get("shape");
                JsonNode offs = t.get("data_offsets");
                if (!t.has("dtype") || shapeNode == null || !shapeNode.isArray() || offs == null || !offs.isArray() || offs.size() != 2) {
                    throw new CheckpointException("safetensors file " + path + ": header entry for '" + name
                            + "' lacks dtype, shape or data_offsets");
                }
                StDType dt = StDType.of(t.get("dtype").asText(), name, path.toString());
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
                long b = offs.get(0).asLong(), e = offs.get(1).asLong();
                Entry entry = new Entry(name, dt, shape, dataStart + b, dataStart + e);
                if (b < 0 || e < b || e - b != entry.numel() * dt.bytes) {
                    throw new CheckpointException("safetensors file " + path + ": tensor '" + name + "' has data_offsets ["
                            + b + ", " + e + ") inconsistent with dtype " + dt + " and shape " + java.util.Arrays.toString(shape));
                }
                if (e > dataLen) {
                    throw new CheckpointException("safetensors file " + path + " is truncated: tensor '" + name
                            + "' needs data up to byte " + e + " but only " + dataLen + " data bytes are present");
                }
                out.put(name, entry);
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new CheckpointException("cannot read safetensors header of " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Reads a tensor widened to float32, row-major as stored. */
    public float[] readFloats(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new CheckpointException("tensor '" + name + "' not found in " + path);
        long n = e.numel();
        if (n > Integer.MAX_VALUE) throw new CheckpointException("tensor '" + name + "' is too large for one array: " + n);
        float[] out = new float[(int) n];
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, e.start(), e.end() - e.start());
            m.order(ByteOrder.LITTLE_ENDIAN);
            switch (e.dtype()) {
                case F32 -> m.asFloatBuffer().get(out);
                case F16 -> {
                    var sb = m.asShortBuffer();
                    for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(sb.get(i));
                }
                // bf16 is the top half of an IEEE float32: widening is a shift. DJL must never see bf16 (it aborts).
                case BF16 -> {
                    var sb = m.asShortBuffer();
                    for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat((sb.get(i) & 0xFFFF) << 16);
                }
            }
        } catch (IOException ex) {
            throw new CheckpointException("cannot read tensor '" + name + "' from " + path + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
