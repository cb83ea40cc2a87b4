package dev.mole.gpu.model.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes float tensors as a safetensors file in F32, F16 or BF16 (bf16 rounded to nearest even). */
public final class SafetensorsWriter {

    public record Tensor(long[] shape, float[] data) {}

    private SafetensorsWriter() {}

    public static void write(Path file, Map<String, Tensor> tensors, StDType dtype) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long off = 0;
        Map<String, long[]> offsets = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            long len = (long) e.getValue().data().length * dtype.bytes;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            t.putArray("data_offsets").add(off).add(off + len);
            offsets.put(e.getKey(), new long[] {off, off + len});
            off += len;
        }
        byte[] hb = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // pad the header with spaces to 8 bytes so data is aligned, as the reference writer does
        int pad = (8 - hb.length % 8) % 8;
        byte[] padded = new byte[hb.length + pad];
        System.arraycopy(hb, 0, padded, 0, hb.length);
        for (int i = hb.length; i < padded.length; i++) padded[i] = ' ';
        try (OutputStream os = Files.newOutputStream(file)) {
            os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
            os.write(padded);
            for (var e : tensors.entrySet()) {
                float[] d = e.getValue().data();
                ByteBuffer bb = ByteBuffer.allocate(d.length * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : d) {
                    switch (dtype) {
                        case F32 -> bb.putFloat(v);
                        case F16 -> bb.putShort(Float.floatToFloat16(v));
                        case BF16 -> bb.putShort(toBf16(v));
                    }
                }
                os.write(bb.array());
            }
        }
    }

    /** Round-to-nearest-even truncation of float32 to bfloat16 bits. */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
