package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordTokenizerTest {

    static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestCheckpoints.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    // the emoji (two Java chars, one code point) before the code checks the offset conversion
    static final String QUESTION = "Fix 😀😀 this:\n```python\ndef add(x, n):\n    return x\n```\nplease";
    static final String ANSWER = "Here is the code:\n```java\npublic static int add(int x, int n) { return x + n; }\n```\n"
            + "and in Rust:\n```rs\nfn add(x: i32) -> i32 { x }\n```\nDone.";

    static CodeSpan span(String field, String text, String fence, Language l) {
        int s = text.indexOf(fence);
        int close = text.indexOf("```", s + 3);
        return new CodeSpan(field, s + fence.length(), close + 3, l); // from just after the tag, as curation stores spans
    }

    static CuratedRecord recordFor() {
        return record();
    }

    static CuratedRecord record() {
        return new CuratedRecord(QUESTION, ANSWER, List.of(
                span("question", QUESTION, "```python", Language.PYTHON),
                span("answer", ANSWER, "```java", Language.JAVA),
                span("answer", ANSWER, "```rs", Language.RUST)));
    }

    String decode(int[] ids, int from, int to) {
        long[] l = new long[to - from];
        for (int i = from; i < to; i++) l[i - from] = ids[i];
        return model.tokenizer().decode(l, false);
    }

    /** Concatenated text of the tokens routed to {@code route}. */
    String textOf(TokenizedSample s, int route) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) if (s.routes()[i] == route) sb.append(decode(s.ids(), i, i + 1));
        return sb.toString();
    }

    @Test
    void templateLossMaskAndRoutes() {
        RecordTokenizer rt = RecordTokenizer.forModel(model, 2048);
        TokenizedSample s = rt.tokenize(record()).orElseThrow();
        int n = s.length();
        assertThat(s.ids()[0]).isEqualTo(model.config().bosTokenId());
        assertThat(s.ids()[n - 1]).isEqualTo(model.config().eosTokenId());
        assertThat(decode(s.ids(), 1, n - 1)).isEqualTo(RecordTokenizer.SYSTEM + RecordTokenizer.INSTRUCTION + QUESTION
                + RecordTokenizer.RESPONSE + ANSWER);
        int first = 0;
        while (!s.lossMask()[first]) first++;
        for (int i = first; i < n; i++) assertThat(s.lossMask()[i]).isTrue();
        assertThat(decode(s.ids(), first, n - 1)).isEqualTo(ANSWER); // exactly the answer (and eos) is trained
        // code tokens: from just after the tag through the closing fence
        assertThat(textOf(s, Route.code(Language.PYTHON))).isEqualTo("\ndef add(x, n):\n    return x\n```");
        assertThat(textOf(s, Route.code(Language.JAVA))).isEqualTo("\npublic static int add(int x, int n) { return x + n; }\n```");
        assertThat(textOf(s, Route.code(Language.RUST))).isEqualTo("\nfn add(x: i32) -> i32 { x }\n```");
        assertThat(textOf(s, Route.NL)).contains("```python").contains("```java").contains("```rs").contains("Done.")
                .contains("@@ Instruction");
        assertThat(s.routes()[0]).isEqualTo(Route.NL);
        assertThat(s.routes()[n - 1]).isEqualTo(Route.NL);
    }

    @Test
    void truncationCutsCodeToTheEndOrDropsTheSample() {
        RecordTokenizer full = RecordTokenizer.forModel(model, 2048);
        TokenizedSample s = full.tokenize(record()).orElseThrow();
        int first = 0;
        while (!s.lossMask()[first]) first++;
        // answer start beyond the limit: dropped
        assertThat(RecordTokenizer.forModel(model, first).tokenize(record())).isEmpty();
        // cut inside the java block: the block runs to the end, no eos
        int javaAt = 0;
        while (s.routes()[javaAt] != Route.code(Language.JAVA)) javaAt++;
        int max = javaAt + 5;
        Optional<TokenizedSample> cut = RecordTokenizer.forModel(model, max).tokenize(record());
        assertThat(cut).isPresent();
        TokenizedSample c = cut.get();
        assertThat(c.truncated()).isTrue();
        assertThat(c.length()).isEqualTo(max);
        assertThat(c.ids()[max - 1]).isNotEqualTo(model.config().eosTokenId());
        assertThat(c.routes()[max - 1]).isEqualTo(Route.code(Language.JAVA));
        assertThat(Arrays.copyOf(s.ids(), max)).isEqualTo(c.ids());
    }

    @Test
    void inferencePromptIsLabelledLikeTraining() {
        RecordTokenizer rt = RecordTokenizer.forModel(model, 2048);
        TokenizedSample train = rt.tokenize(record()).orElseThrow();
        TokenizedSample prompt = rt.prompt(QUESTION);
        // the prompt is the training sequence up to the answer, with the same routes (the question's block found by scanning)
        int p = prompt.length();
        assertThat(prompt.ids()).isEqualTo(Arrays.copyOf(train.ids(), p));
        assertThat(prompt.routes()).isEqualTo(Arrays.copyOf(train.routes(), p));
        assertThat(Arrays.stream(prompt.routes()).filter(r -> r == Route.code(Language.PYTHON)).count()).isGreaterThan(3);
    }

    @Test
    void codeSpansNormaliseTagsAndSkipUnknownOnes() {
        String t = "a\n```c++\nint x;\n```\nb\n```text\nnot code\n```\nc\n```golang\nfunc";
        List<CodeSpan> spans = CodeSpans.of(t, "answer");
        assertThat(spans).extracting(CodeSpan::language).containsExactly(Language.CPP, Language.GO);
        assertThat(t.substring(spans.get(0).start(), spans.get(0).end())).isEqualTo("\nint x;\n```");
        assertThat(spans.get(1).end()).isEqualTo(t.length()); // unclosed: runs to the end
        assertThat(CodeSpans.of("x ```python\nx", "answer")).isEmpty(); // not at a line start: prose, as in curation
    }
}
