package dev.mole.contracts.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference rule, bugs included. It behaves exactly like repeated {@code find()} with
 * <pre>
 *   Pattern.compile("```(\\w*)(.*?)```", Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS)
 * </pre>
 * (the Python {@code re.findall(r"```(\w*)(.*?)```", text, re.S)} we assume the reference used): not line-anchored, so
 * fences mid-line count; the tag is the run of word characters right after the backticks, so {@code c++} and {@code c#}
 * read as {@code c}; the tag is lower-cased and must equal one of the eight ids, anything else (empty included) drops
 * the sample; an opening fence with no later {@code ```} is not a block at all. It is a hand-written scanner rather than
 * the regex because it is several times faster; a test checks it against the regex on random texts.
 *
 * <p>Why the scanner equals the regex: at a candidate {@code ```} the greedy {@code \w*} can only give back word
 * characters, which cannot start a closing {@code ```}, so the earliest closing fence after the full word run is the
 * match; and when none exists after one candidate, none exists after any later candidate either.
 */
public final class StrictFenceParser implements FenceParser {

    @Override
    public FenceScan scan(String text) {
        List<CodeBlock> blocks = null;
        List<String> unknown = null;
        FenceProblem problem = null;
        int from = 0;
        while (true) {
            int open = text.indexOf("```", from);
            if (open < 0) {
                break;
            }
            int tagStart = open + 3;
            int tagEnd = tagStart;
            while (tagEnd < text.length()) {
                int cp = text.codePointAt(tagEnd);
                if (!isWordChar(cp)) {
                    break;
                }
                tagEnd += Character.charCount(cp);
            }
            int close = text.indexOf("```", tagEnd);
            if (close < 0) {
                break;
            }
            String tag = text.substring(tagStart, tagEnd).toLowerCase(Locale.ROOT);
            Language language = tag.isEmpty() ? null : Language.exact(tag);
            if (language != null) {
                if (blocks == null) {
                    blocks = new ArrayList<>(4);
                }
                blocks.add(new CodeBlock(tagEnd, close + 3, tagEnd, close, language, tag, true));
            } else if (tag.isEmpty()) {
                if (problem == null) {
                    problem = FenceProblem.UNLABELLED_FENCE;
                }
            } else {
                if (problem == null) {
                    problem = FenceProblem.UNKNOWN_LANGUAGE;
                }
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                }
                unknown.add(tag);
            }
            from = close + 3;
        }
        return new FenceScan(blocks == null ? List.of() : blocks, problem, unknown == null ? List.of() : unknown);
    }

    /** {@code \w} under UNICODE_CHARACTER_CLASS: alphabetic, digits, marks, connector punctuation, join controls. */
    static boolean isWordChar(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isAlphabetic(cp) || Character.isDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C || cp == 0x200D;
    }
}
