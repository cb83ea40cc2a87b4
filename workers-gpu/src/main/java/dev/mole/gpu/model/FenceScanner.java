package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds fenced code blocks (```tag ... ```) in text, for labelling prompts and generated text the way training labels
 * records. A block of a known tag (aliases normalised by {@link Language#fromTag}) yields a {@link CodeSpan} from its
 * opening fence through its closing fence; a block that is not closed runs to the end of the text. A fence whose tag is
 * still being written (text ends right after the tag) yields nothing yet: the tag is complete only once a character
 * follows it. Blocks with unknown or empty tags stay natural language but are consumed, so their closing fence is not
 * mistaken for an opening one.
 */
public final class FenceScanner {
    private FenceScanner() {}

    public static List<CodeSpan> scan(String text, String field) {
        List<CodeSpan> out = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = text.indexOf("```", i);
            if (open < 0) break;
            int p = open + 3;
            while (p < text.length() && !Character.isWhitespace(text.charAt(p)) && text.charAt(p) != '`') p++;
            if (p >= text.length()) break; // tag not finished yet
            String tag = text.substring(open + 3, p);
            int close = text.indexOf("```", p);
            int end = close < 0 ? text.length() : close + 3;
            var lang = tag.isEmpty() ? java.util.Optional.<Language>empty() : Language.fromTag(tag);
            lang.ifPresent(l -> out.add(new CodeSpan(field, open, end, l)));
            if (close < 0) break;
            i = end;
        }
        return out;
    }

    /** Start of the code region of a span: after the opening fence and its tag, or the span start if it has no fence. */
    static int codeStart(String fieldText, CodeSpan s) {
        if (!fieldText.startsWith("```", s.start())) return s.start();
        int p = s.start() + 3;
        while (p < s.end() && !Character.isWhitespace(fieldText.charAt(p)) && fieldText.charAt(p) != '`') p++;
        return p;
    }
}
