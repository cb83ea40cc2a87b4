package dev.mole.gpu.model.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a real Hugging Face {@code tokenizer.json} (byte-level BPE, the GPT-2 / DeepSeek-Coder family) from a word list:
 * all 256 byte symbols, so any text encodes, plus prefix merges that make each listed word one token.
 */
public final class ByteLevelBpeTokenizerWriter {

    private static final char[] BYTE_TO_CHAR = byteToUnicode();

    private ByteLevelBpeTokenizerWriter() {}

    /** GPT-2's reversible byte -> printable char mapping used by the ByteLevel pre-tokenizer. */
    private static char[] byteToUnicode() {
        char[] map = new char[256];
        boolean[] direct = new boolean[256];
        for (int b = '!'; b <= '~'; b++) direct[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) direct[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) direct[b] = true;
        int n = 0;
        for (int b = 0; b < 256; b++) map[b] = direct[b] ? (char) b : (char) (256 + n++);
        return map;
    }

    public static String byteLevel(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) sb.append(BYTE_TO_CHAR[b & 0xFF]);
        return sb.toString();
    }

    /**
     * @param specials special tokens, given ids 0.. in order
     * @param words words (with their leading space where the pre-tokenizer keeps one) that become single tokens
     * @return the vocabulary size
     */
    public static int write(Path file, List<String> specials, List<String> words) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : specials) vocab.put(s, vocab.size());
        for (int b = 0; b < 256; b++) vocab.putIfAbsent(String.valueOf(BYTE_TO_CHAR[b]), vocab.size());
        List<String> merges = new ArrayList<>();
        for (String w : words) {
            String bl = byteLevel(w);
            String cur = bl.substring(0, 1);
            for (int i = 1; i < bl.length(); i++) {
                String next = bl.substring(i, i + 1);
                String merged = cur + next;
                if (!vocab.containsKey(merged)) {
                    vocab.put(merged, vocab.size());
                    merges.add(cur + " " + next);
                }
                cur = merged;
            }
        }
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : specials) {
            added.addObject().put("id", vocab.get(s)).put("content", s).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        om.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return vocab.size();
    }
}
