package dev.mole.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensor shapes a safetensors file declares, read from its header alone (8-byte little-endian length, then JSON):
 * validation needs shapes, never the values, so a large factors file costs a few kilobytes to check.
 */
final class SafetensorsHeader {
    /** Far above any header of an adapter file; a length past it means the file is not safetensors. */
    private static final long MAX_HEADER = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsHeader() {}

    static Map<String, long[]> shapes(InputStream in, String what) throws IOException {
        byte[] len = in.readNBytes(8);
        if (len.length < 8) throw invalid(what, "shorter than a safetensors header");
        long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 1 || n > MAX_HEADER) throw invalid(what, "its header length " + n + " is not that of a safetensors file");
        byte[] header = in.readNBytes((int) n);
        if (header.length < n) throw invalid(what, "its header is cut short");
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw invalid(what, "its header is not JSON");
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode shape = e.getValue().path("shape");
            long[] s = new long[shape.size()];
            for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asLong();
            out.put(e.getKey(), s);
        }
        return out;
    }

    private static IllegalArgumentException invalid(String what, String why) {
        return new IllegalArgumentException(what + " is not a safetensors file: " + why);
    }
}
