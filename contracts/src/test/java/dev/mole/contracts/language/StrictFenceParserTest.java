package dev.mole.contracts.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StrictFenceParserTest {
    private static final Pattern REFERENCE = Pattern.compile("```(\\w*)(.*?)```",
            Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);

    private final StrictFenceParser parser = new StrictFenceParser();

    @Test
    void cppAndCsharpAreReadAsCLikeTheReference() {
        String text = "```c++\nint x;\n```\n```c#\nvar y;\n```";
        FenceScan scan = parser.scan(text);
        assertThat(scan.firstProblem()).isNull();
        assertThat(scan.blocks()).extracting(CodeBlock::language).containsExactly(Language.C, Language.C);
        CodeBlock first = scan.blocks().get(0);
        assertThat(text.substring(first.spanStart(), first.spanEnd())).isEqualTo("++\nint x;\n```");
        // the same text in NORMALIZED mode: C++ and C#
        assertThat(new NormalizedFenceParser().scan(text).blocks()).extracting(CodeBlock::language)
                .containsExactly(Language.CPP, Language.CSHARP);
    }

    @Test
    void aliasesAreUnknownInStrictMode() {
        FenceScan scan = parser.scan("```py\nx\n```");
        assertThat(scan.firstProblem()).isEqualTo(FenceProblem.UNKNOWN_LANGUAGE);
        assertThat(scan.unknownTags()).containsExactly("py");
        assertThat(parser.scan("```Python\nx\n```").blocks()).extracting(CodeBlock::language)
                .containsExactly(Language.PYTHON);
    }

    @Test
    void emptyTagIsUnlabelled() {
        assertThat(parser.scan("```\nx\n```").firstProblem()).isEqualTo(FenceProblem.UNLABELLED_FENCE);
    }

    @Test
    void fenceMidLineCounts() {
        String text = "Run ```python print(1)``` now";
        FenceScan scan = parser.scan(text);
        assertThat(scan.blocks()).hasSize(1);
        CodeBlock b = scan.blocks().get(0);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo(" print(1)");
        assertThat(text.substring(b.spanStart(), b.spanEnd())).isEqualTo(" print(1)```");
    }

    @Test
    void innerFenceClosesTheOuterOneNonGreedily() {
        String text = "````python\nx\n```js\ny\n```\n````";
        // reference regex: "```" at 0, tag "" (next char is a backtick), closes at the first later "```"
        FenceScan scan = parser.scan(text);
        assertThat(scan.firstProblem()).isEqualTo(FenceProblem.UNLABELLED_FENCE);
        assertThat(describe(scan)).isEqualTo(reference(text));
    }

    @Test
    void unterminatedFenceIsNoBlock() {
        FenceScan scan = parser.scan("```python\nx = 1\n");
        assertThat(scan.blocks()).isEmpty();
        assertThat(scan.firstProblem()).isNull();
    }

    @Test
    void crlfAndNonAscii() {
        String text = "é\r\n```rust\r\nlet s = \"😀\";\r\n```\r\n";
        CodeBlock b = parser.scan(text).blocks().get(0);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("\r\nlet s = \"😀\";\r\n");
    }

    @Test
    void matchesTheReferenceRegexOnRandomTexts() {
        String[] pieces = {"```", "``", "`", "python", "c", "++", "#", "cpp", "Java", "py", "\n", "\r\n", " ", "x = 1",
            "é", "😀", "_", "ß", "go", "\u0301", "rust"};
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(14);
            for (int k = 0; k < n; k++) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            assertThat(describe(parser.scan(text))).as("text %s", text).isEqualTo(reference(text));
        }
    }

    /** Known blocks as "tag@contentStart-contentEnd" in text order, then the first problem and the unknown tags. */
    private static List<String> describe(FenceScan scan) {
        List<String> out = new ArrayList<>();
        for (CodeBlock b : scan.blocks()) {
            out.add(b.tag() + "@" + b.contentStart() + "-" + b.contentEnd());
        }
        out.add("problem=" + scan.firstProblem());
        out.add("unknown=" + scan.unknownTags());
        return out;
    }

    private static List<String> reference(String text) {
        List<String> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        FenceProblem problem = null;
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String tag = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (Language.exact(tag) != null) {
                out.add(tag + "@" + m.start(2) + "-" + m.end(2));
            } else if (tag.isEmpty()) {
                problem = problem == null ? FenceProblem.UNLABELLED_FENCE : problem;
            } else {
                problem = problem == null ? FenceProblem.UNKNOWN_LANGUAGE : problem;
                unknown.add(tag);
            }
        }
        out.add("problem=" + problem);
        out.add("unknown=" + unknown);
        return out;
    }
}
