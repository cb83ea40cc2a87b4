package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.curation.FenceMode;
import dev.mole.orchestrator.curation.DropReason;
import org.junit.jupiter.api.Test;

class SampleClassifierTest {
    private final SampleClassifier normalized = new SampleClassifier(FenceMode.NORMALIZED);
    private final SampleClassifier strict = new SampleClassifier(FenceMode.STRICT);

    @Test
    void filterBoundaryAtExactlyAThirdIsKept() {
        // total = 4 (question) + 1 ("```python") + c (code) + 1 ("```") + p (prose); keep iff 3c >= total
        String question = "how do I this";
        String exact = answer(5, 4); // 2*5 = 10 = 6 + 4: kept
        String below = answer(5, 5); // 10 < 11: dropped
        Classification kept = normalized.classify(question, exact);
        assertThat(kept.codeWords()).isEqualTo(5);
        assertThat(kept.totalWords()).isEqualTo(15);
        assertThat(kept.drop()).isNull();
        Classification dropped = normalized.classify(question, below);
        assertThat(dropped.totalWords()).isEqualTo(16);
        assertThat(dropped.drop()).isEqualTo(DropReason.LOW_CODE_SHARE);
    }

    private static String answer(int codeWords, int proseWords) {
        StringBuilder sb = new StringBuilder("```python\n");
        for (int i = 0; i < codeWords; i++) {
            sb.append("c").append(i).append(i % 2 == 0 ? "(" : "\n");
        }
        sb.append("\n```\n");
        for (int i = 0; i < proseWords; i++) {
            sb.append("p").append(i).append(' ');
        }
        return sb.toString();
    }

    @Test
    void codeInTheQuestionCountsForTheFilterAndTheMainLanguage() {
        Classification c = normalized.classify("```rust\nfn a b c d e f\n```", "Use this, it works well enough.");
        assertThat(c.drop()).isNull();
        assertThat(c.mainLanguage()).isEqualTo(Language.RUST);
        assertThat(c.questionBlocks()).hasSize(1);
        assertThat(c.answerBlocks()).isEmpty();
    }

    @Test
    void mainLanguageIsTheOneWithMostCodeWords() {
        Classification c = normalized.classify("q", "```c\na b\n```\n```cpp\na b c d\n```\n```c\nz\n```");
        assertThat(c.mainLanguage()).isEqualTo(Language.CPP);
        assertThat(c.wordsByLanguage()[Language.C.ordinal()]).isEqualTo(3);
        assertThat(c.wordsByLanguage()[Language.CPP.ordinal()]).isEqualTo(4);
    }

    @Test
    void mainLanguageTieGoesToTheLanguageSeenFirst() {
        assertThat(normalized.classify("q", "```java\na b\n```\n```go\nc d\n```").mainLanguage())
                .isEqualTo(Language.JAVA);
        assertThat(normalized.classify("q", "```go\na b\n```\n```java\nc d\n```").mainLanguage())
                .isEqualTo(Language.GO);
        // the question comes before the answer
        assertThat(normalized.classify("```rust\na b\n```", "```c\nc d\n```").mainLanguage())
                .isEqualTo(Language.RUST);
    }

    @Test
    void dropReasons() {
        assertThat(normalized.classify("q", "no code here at all").drop()).isEqualTo(DropReason.NO_CODE_BLOCK);
        assertThat(normalized.classify("q", "```bash\nls\n```").drop()).isEqualTo(DropReason.UNKNOWN_LANGUAGE);
        assertThat(normalized.classify("q", "```\nls\n```").drop()).isEqualTo(DropReason.UNLABELLED_FENCE);
        // an unknown tag in the question drops the sample even when the answer is fine
        assertThat(normalized.classify("```sql\nselect\n```", "```python\nx\n```").drop())
                .isEqualTo(DropReason.UNKNOWN_LANGUAGE);
        // first problem in text order wins
        assertThat(normalized.classify("```\nx\n```", "```sql\nx\n```").drop())
                .isEqualTo(DropReason.UNLABELLED_FENCE);
        assertThat(normalized.classify("q", "a lot of prose words here and more\n```js\nx\n```").drop())
                .isEqualTo(DropReason.LOW_CODE_SHARE);
    }

    @Test
    void strictAndNormalizedDifferOnAliases() {
        String answer = "```py\nprint(x)\n```";
        assertThat(normalized.classify("q", answer).drop()).isNull();
        assertThat(strict.classify("q", answer).drop()).isEqualTo(DropReason.UNKNOWN_LANGUAGE);
        Classification cpp = strict.classify("q", "```c++\nint main() { return 0; }\n```");
        assertThat(cpp.drop()).isNull();
        assertThat(cpp.mainLanguage()).isEqualTo(Language.C);
    }
}
