package dev.mole.gpu.training.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float32 safetensors to and from bytes (checkpoint parts and output files go to the object store as byte arrays, so
 * no file round trip). Tensor order is kept; the header is padded to 8 bytes like the reference writer.
 */
public final class F32Safetensors {

    /** A named float32 tensor. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) n *= d;
            if (n != data.length) throw new IllegalArgumentException("shape does not match " + data.length + " values");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private F32Safetensors() {}

    public static byte[] encode(Map<String, Tensor> tensors) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long off = 0;
        for (var e : tensors.entrySet()) {
            long len = 4L * e.getValue().data().length;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            t.putArray("data_offsets").add(off).add(off + len);
            off += len;
        }
        byte[] hb = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - hb.length % 8) % 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (8 + hb.length + pad + off));
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length + pad).array());
        out.writeBytes(hb);
        for (int i = 0; i < pad; i++) out.write(' ');
        for (Tensor t : tensors.values()) {
            ByteBuffer bb = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(t.data());
            out.writeBytes(bb.array());
        }
        return out.toByteArray();
    }

    public static Map<String, Tensor> decode(byte[] bytes) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long hl = bb.getLong();
            if (hl < 2 || hl > bytes.length - 8) throw new IllegalArgumentException("bad safetensors header length " + hl);
            JsonNode header = JSON.readTree(new String(bytes, 8, (int) hl, StandardCharsets.UTF_8));
            int base = 8 + (int) hl;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                JsonNode t = e.getValue();
                if (!t.get("dtype").asText().equals("F32")) throw new IllegalArgumentException("only F32 is read here: " + e.getKey());
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asLong();
                long a = t.get("data_offsets").get(0).asLong(), b = t.get("data_offsets").get(1).asLong();
                if (a < 0 || b < a || base + b > bytes.length) throw new IllegalArgumentException("tensor " + e.getKey() + " outside the file");
                float[] d = new float[(int) ((b - a) / 4)];
                ByteBuffer.wrap(bytes, base + (int) a, (int) (b - a)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(d);
                out.put(e.getKey(), new Tensor(shape, d));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bad safetensors header: " + e.getMessage(), e);
        }
    }
}
