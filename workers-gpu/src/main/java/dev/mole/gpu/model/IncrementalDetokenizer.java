package dev.mole.gpu.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.Arrays;

/**
 * Streams the text of generated tokens by decoding a short window at the tail instead of the whole output after every
 * token, and hands out exactly the text that decoding all tokens at once gives.
 *
 * <p>Why a window is exact: the window starts at a token before which all text is already handed out and ended in a
 * complete character, so (byte-level BPE) the bytes before it formed whole UTF-8 characters and the window's bytes decode
 * to exactly the rest of the full text. The window's own head (tokens already handed out) is decoded too and its text
 * subtracted, so decoders that treat a window's first token specially (a SentencePiece leading-space strip) cancel out.
 * Text ending in U+FFFD may be the first bytes of a character that the next tokens complete, so it is held back until a
 * later token completes it, or until {@link #finish} hands it out as it stands (the stream ended mid-character). The
 * window is one or two tokens long except while such bytes are pending.
 */
final class IncrementalDetokenizer {
    private static final char REPLACEMENT = '\uFFFD';

    private final HuggingFaceTokenizer tokenizer;
    private long[] tokens = new long[32];
    private int count;
    /** Window start: all text of the tokens before it is handed out. */
    private int windowStart;
    /** Tokens [windowStart, handedOut) are handed out as well: the window's head. */
    private int handedOut;
    private final StringBuilder text = new StringBuilder();
    private boolean finished;

    IncrementalDetokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token; returns the text that became final with it (empty while a character is incomplete). */
    String push(int token) {
        if (finished) throw new IllegalStateException("detokeniser already finished");
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
        tokens[count++] = token;
        String head = decode(windowStart, handedOut);
        String window = decode(windowStart, count);
        if (window.length() <= head.length() || !window.startsWith(head) || window.charAt(window.length() - 1) == REPLACEMENT) {
            return "";
        }
        return handOut(window.substring(head.length()));
    }

    /** Hands out whatever is still held back (an incomplete character decodes as U+FFFD, as in a full decode); no more tokens after. */
    String finish() {
        if (finished) return "";
        finished = true;
        if (handedOut == count) return "";
        String head = decode(windowStart, handedOut);
        String window = decode(windowStart, count);
        if (window.startsWith(head)) return handOut(window.substring(head.length()));
        // a decoder whose window text does not extend its head (none of ours): the full decode settles it, once
        String full = decode(0, count);
        return handOut(full.startsWith(text.toString()) ? full.substring(text.length()) : "");
    }

    /** All text handed out so far. */
    String text() {
        return text.toString();
    }

    private String handOut(String delta) {
        text.append(delta);
        windowStart = handedOut;
        handedOut = count;
        return delta;
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(tokens, from, to), false);
    }
}
