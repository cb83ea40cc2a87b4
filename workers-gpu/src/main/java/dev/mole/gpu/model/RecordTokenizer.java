package dev.mole.gpu.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns curated records into model inputs (docs/mole-protocol.md section 3): Magicoder-style template, loss mask from the first answer
 * token, and per-token routes from the records' character spans through the tokenizer's offsets.
 *
 * <p>Labelling rule: a token is code of language l when its first character lies in a block's code region, which runs from
 * just after the opening fence's tag (so the newline after the tag is code) through the closing fence; the fence and tag,
 * prose, prompt text and bos/eos are NL. The same rule labels prompts at inference, so training and generation agree.
 */
public final class RecordTokenizer {

    public static final String SYSTEM = "You are an exceptionally intelligent coding assistant that consistently delivers "
            + "accurate and reliable responses to user instructions.";
    public static final String INSTRUCTION = "\n\n@@ Instruction\n";
    public static final String RESPONSE = "\n\n@@ Response\n";
    public static final int DEFAULT_MAX_LENGTH = 2048;

    private final HuggingFaceTokenizer tokenizer;
    private final int bos;
    private final int eos;
    private final int maxLength;

    public RecordTokenizer(HuggingFaceTokenizer tokenizer, int bos, int eos, int maxLength) {
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = eos;
        this.maxLength = maxLength;
    }

    public static RecordTokenizer forModel(LlamaModel m, int maxLength) {
        return new RecordTokenizer(m.tokenizer(), m.config().bosTokenId(), m.config().eosTokenId(), maxLength);
    }

    /** Tokenises a record; empty when the sample must be dropped (its answer would start beyond the maximum length). */
    public Optional<TokenizedSample> tokenize(CuratedRecord r) {
        String prefix = SYSTEM + INSTRUCTION;
        int qOff = prefix.length();
        int aOff = qOff + r.question().length() + RESPONSE.length();
        String text = prefix + r.question() + RESPONSE + r.answer();
        List<int[]> regions = new ArrayList<>(); // {start, end, route} in text offsets
        for (CodeSpan s : r.spans()) {
            String field = s.field().equals("question") ? r.question() : r.answer();
            if (s.end() > field.length()) {
                throw new IllegalArgumentException("span " + s + " ends beyond its field (length " + field.length() + ")");
            }
            int base = s.field().equals("question") ? qOff : aOff;
            regions.add(new int[] {base + s.start(), base + s.end(), Route.code(s.language())});
        }
        Encoded e = encode(text);
        int n = e.ids.length;
        int[] ids = new int[n + 2];
        int[] routes = new int[n + 2];
        boolean[] loss = new boolean[n + 2];
        ids[0] = bos;
        routes[0] = Route.NL;
        int firstAnswer = n + 1; // eos if the answer produced no tokens
        for (int i = 0; i < n; i++) {
            ids[i + 1] = e.ids[i];
            routes[i + 1] = routeAt(regions, e.starts[i]);
            if (e.starts[i] >= aOff && firstAnswer == n + 1) firstAnswer = i + 1;
        }
        ids[n + 1] = eos;
        routes[n + 1] = Route.NL;
        for (int i = firstAnswer; i < n + 2; i++) loss[i] = true;
        if (ids.length <= maxLength) return Optional.of(new TokenizedSample(ids, loss, routes, false));
        if (firstAnswer >= maxLength) return Optional.empty();
        return Optional.of(new TokenizedSample(java.util.Arrays.copyOf(ids, maxLength), java.util.Arrays.copyOf(loss, maxLength),
                java.util.Arrays.copyOf(routes, maxLength), true));
    }

    /** The inference prompt for a question whose response has not begun. */
    public TokenizedSample prompt(String question) {
        return prompt(question, "");
    }

    /**
     * The inference prompt: bos + template through "@@ Response\n" + the response's first text ({@code responsePrefix},
     * e.g. an opening fence and a function signature), each token routed by the training rule: the question and the
     * response are each read by the one fence grammar ({@link CodeSpans}) as curation reads a record's two fields.
     */
    public TokenizedSample prompt(String question, String responsePrefix) {
        String prefix = SYSTEM + INSTRUCTION;
        int aOff = prefix.length() + question.length() + RESPONSE.length();
        String text = prefix + question + RESPONSE + responsePrefix;
        List<int[]> regions = new ArrayList<>();
        for (CodeSpan s : CodeSpans.of(question, "question")) {
            regions.add(new int[] {prefix.length() + s.start(), prefix.length() + s.end(), Route.code(s.language())});
        }
        for (CodeSpan s : CodeSpans.of(responsePrefix, "answer")) {
            regions.add(new int[] {aOff + s.start(), aOff + s.end(), Route.code(s.language())});
        }
        Encoded e = encode(text);
        int[] ids = new int[e.ids.length + 1], routes = new int[e.ids.length + 1];
        ids[0] = bos;
        for (int i = 0; i < e.ids.length; i++) {
            ids[i + 1] = e.ids[i];
            routes[i + 1] = routeAt(regions, e.starts[i]);
        }
        return new TokenizedSample(ids, new boolean[ids.length], routes, false);
    }

    static int routeAt(List<int[]> regions, int charStart) {
        for (int[] g : regions) if (charStart >= g[0] && charStart < g[1]) return g[2];
        return Route.NL;
    }

    record Encoded(int[] ids, int[] starts) {}

    /**
     * Encodes without special tokens and returns each token's start as a Java char offset. The Rust tokenizer reports
     * offsets in Unicode code points; outside the BMP a code point is two Java chars, so they are converted here.
     */
    Encoded encode(String text) {
        Encoding enc = tokenizer.encode(text, false, false);
        long[] raw = enc.getIds();
        CharSpan[] spans = enc.getCharTokenSpans();
        int cps = text.codePointCount(0, text.length());
        int[] cpToChar = new int[cps + 1];
        for (int cp = 0, ch = 0; cp < cps; cp++) {
            cpToChar[cp] = ch;
            ch += Character.charCount(text.codePointAt(ch));
            cpToChar[cp + 1] = ch;
        }
        int[] ids = new int[raw.length], starts = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ids[i] = (int) raw[i];
            int cp = spans[i] == null ? cps : Math.min(spans[i].getStart(), cps);
            starts[i] = cpToChar[cp];
        }
        return new Encoded(ids, starts);
    }
}
