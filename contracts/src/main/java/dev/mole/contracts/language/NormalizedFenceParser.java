package dev.mole.contracts.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CommonMark backtick fences (spec 0.31, section 4.5), without container blocks (lists, quotes):
 * <ul>
 *   <li>opening fence: a line with 0-3 spaces of indent, a run of at least three backticks, then an info string with no
 *       backtick (a backtick in it makes the line plain text, as in CommonMark); the tag is the info string's first
 *       whitespace-separated word, lower-cased, looked up in {@link LanguageAliases};
 *   <li>closing fence: 0-3 spaces, a run of at least as many backticks as the opening one, then only spaces or tabs;
 *       any other fence-looking line inside (a shorter run, or a run followed by a tag) is content: fences in fences;
 *   <li>an unterminated fence runs to the end of the text and still counts;
 *   <li>line ends are {@code \n}, {@code \r\n} or {@code \r}; tabs in the indent make the line indented code, not a fence.
 * </ul>
 */
public final class NormalizedFenceParser implements FenceParser {

    @Override
    public FenceScan scan(String text) {
        List<CodeBlock> blocks = null;
        List<String> unknown = null;
        FenceProblem problem = null;
        final int n = text.length();
        int pos = 0;
        // state of the open fence, if any
        boolean open = false;
        int fenceLength = 0;
        int spanStart = 0;
        int contentStart = 0;
        Language language = null;
        String tag = null;

        if (text.indexOf("```") < 0) {
            return new FenceScan(List.of(), null, List.of()); // most prose: no fence at all
        }
        // line ends found with indexOf (vectorised) rather than a char loop: this scan runs over every byte twice
        int nextLf = -1;
        int nextCr = -1;
        while (pos < n) {
            if (nextLf < pos) {
                nextLf = text.indexOf('\n', pos);
                nextLf = nextLf < 0 ? n : nextLf;
            }
            if (nextCr < pos) {
                nextCr = text.indexOf('\r', pos);
                nextCr = nextCr < 0 ? n : nextCr;
            }
            int lineEnd = Math.min(nextLf, nextCr);
            int next = lineEnd;
            if (next < n) {
                next += (text.charAt(next) == '\r' && next + 1 < n && text.charAt(next + 1) == '\n') ? 2 : 1;
            }

            int i = pos;
            int indent = 0;
            while (i < lineEnd && text.charAt(i) == ' ' && indent < 4) {
                i++;
                indent++;
            }
            if (indent <= 3) {
                int runStart = i;
                while (i < lineEnd && text.charAt(i) == '`') {
                    i++;
                }
                int run = i - runStart;
                if (!open) {
                    if (run >= 3 && noBacktick(text, i, lineEnd)) {
                        int tagStart = i;
                        while (tagStart < lineEnd && isSpaceOrTab(text.charAt(tagStart))) {
                            tagStart++;
                        }
                        int tagEnd = tagStart;
                        while (tagEnd < lineEnd && !Character.isWhitespace(text.charAt(tagEnd))) {
                            tagEnd++;
                        }
                        open = true;
                        fenceLength = run;
                        spanStart = tagEnd > tagStart ? tagEnd : i;
                        contentStart = next;
                        if (tagEnd == tagStart) {
                            tag = "";
                            language = null;
                            if (problem == null) {
                                problem = FenceProblem.UNLABELLED_FENCE;
                            }
                        } else {
                            tag = text.substring(tagStart, tagEnd).toLowerCase(Locale.ROOT);
                            language = Language.resolveTag(tag);
                            if (language == null) {
                                if (problem == null) {
                                    problem = FenceProblem.UNKNOWN_LANGUAGE;
                                }
                                if (unknown == null) {
                                    unknown = new ArrayList<>(2);
                                }
                                unknown.add(tag);
                            }
                        }
                    }
                } else if (run >= fenceLength && onlySpacesOrTabs(text, i, lineEnd)) {
                    if (language != null) {
                        if (blocks == null) {
                            blocks = new ArrayList<>(4);
                        }
                        blocks.add(new CodeBlock(spanStart, i, contentStart, Math.max(contentStart, pos), language,
                                tag, true));
                    }
                    open = false;
                }
            }
            pos = next;
        }
        if (open && language != null) {
            if (blocks == null) {
                blocks = new ArrayList<>(1);
            }
            blocks.add(new CodeBlock(spanStart, n, Math.min(contentStart, n), n, language, tag, false));
        }
        return new FenceScan(blocks == null ? List.of() : blocks, problem, unknown == null ? List.of() : unknown);
    }

    private static boolean noBacktick(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '`') {
                return false;
            }
        }
        return true;
    }

    private static boolean onlySpacesOrTabs(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpaceOrTab(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }
}
