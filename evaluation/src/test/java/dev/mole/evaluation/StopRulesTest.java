package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

import dev.mole.contracts.evaluation.TaskKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hand-written generations after each language's task-0 synthesis prefix. {@code END} marks where the answer must end;
 * the helper checks both the streaming cut (whole text) and that it agrees with the final cut.
 */
class StopRulesTest {
    private static final String END = "\u2016";

    private static StopRule rule(Language language) {
        return StopRules.of(EvalPrompts.synthesis(HumanEvalPack.task(language, 0)));
    }

    /** {@code marked} holds one {@link #END}: the answer is what precedes it. */
    private static void assertCut(Language language, String marked) {
        int at = marked.indexOf(END);
        String generated = marked.replace(END, "");
        StopRule r = rule(language);
        assertThat(r.cut(generated)).as("cut of %s", generated).isEqualTo(at);
        assertThat(r.finalCut(generated)).isEqualTo(at);
        assertThat(Completions.extract(r, generated)).isEqualTo(generated.substring(0, at));
    }

    private static void assertUndecided(Language language, String generated) {
        assertThat(rule(language).cut(generated)).as("cut of %s", generated).isEqualTo(-1);
    }

    @Nested
    class Python {
        @Test
        void endsAtTheClosingFence() {
            assertCut(Language.PYTHON, "\n    return True" + END + "\n```\n\nIt checks pairs.\n");
        }

        @Test
        void endsAtUpstreamsStopSequencesOutsideTheFunction() {
            assertCut(Language.PYTHON, "\n    return True" + END + "\n\nprint(has_close_elements([1.0], 0.5))\n");
            assertCut(Language.PYTHON, "\n    return True" + END + "\nif __name__ == '__main__':\n    pass\n");
            assertCut(Language.PYTHON, "\n    return True" + END + "\nassert has_close_elements([], 1.0) is False\n");
            assertCut(Language.PYTHON, "\n    return True" + END + "\n# tests\nprint(1)\n");
        }

        @Test
        void endsAtTheFirstLineOutsideTheFunction() {
            assertCut(Language.PYTHON, "\n    x = 1\n\n    return x > 0" + END + "\nnumbers = [1.0]\n");
        }

        @Test
        void keepsHelpersDefinedAfterTheFunction() {
            assertCut(Language.PYTHON, "\n    return helper(numbers)\n\n\n@cache\ndef helper(xs):\n    # no\n    return False" + END
                    + "\n```\n");
        }

        @Test
        void aColumnZeroCommentInsideTheFunctionDoesNotEndIt() {
            assertCut(Language.PYTHON, "\n    a = 1\n# note\n    return a" + END + "\nprint(a)\n");
        }

        @Test
        void linesInsideStringsAndBracketsAreNotTopLevel() {
            assertCut(Language.PYTHON, "\n    s = \"\"\"\nprint(1)\ndef f():\n\"\"\"\n    t = [1,\n2]\n    u = 'it''s'\n    return s and t" + END
                    + "\nprint(2)\n");
            assertCut(Language.PYTHON, "\n    v = 1 + \\\n2\n    return v" + END + "\nprint(3)\n");
        }

        @Test
        void waitsWhileTheFunctionMayGoOn() {
            assertUndecided(Language.PYTHON, "\n    for x in numbers:\n        if");
            assertUndecided(Language.PYTHON, "\n    return True\n");
            assertUndecided(Language.PYTHON, "\n    return True\npri"); // "print" ends it, "primes = " would too: wait for the line
            assertThat(rule(Language.PYTHON).finalCut("\n    return True\npri")).isEqualTo("\n    return True".length());
            assertThat(rule(Language.PYTHON).finalCut("\n    return True\n\n")).isEqualTo("\n    return True".length());
        }
    }

    @Nested
    class Go {
        @Test
        void endsWhereTheFunctionsBracesClose() {
            assertCut(Language.GO, "\n    for i := 0; i < 3; i++ {\n        if i > 1 {\n            return true\n        }\n    }\n"
                    + "    return false\n}" + END + "\n\nfunc main() {\n}\n");
        }

        @Test
        void ignoresBracesInStringsRunesRawStringsAndComments() {
            assertCut(Language.GO, "\n    s := \"}\\\"}\"\n    r := '}'\n    q := `}\n}`\n    // }\n    /* } */\n"
                    + "    return len(s) > 0 && r != 0 && q != \"\"\n}" + END + "\n```\n");
        }

        @Test
        void upstreamStopSequencesDoNotCutInsideTheBody() {
            assertCut(Language.GO, "\n    set := make(map[int]struct{})\n// a column-0 comment\n    _ = set\n    return false\n}" + END
                    + "\n```\n");
        }

        @Test
        void keepsHelperDefinitionsAndDropsWhatIsNot() {
            assertCut(Language.GO, "\n    return helper()\n}\n\n// helper says no\nfunc helper() bool {\n    return false\n}\n"
                    + "type pair struct {\n    a int\n}" + END + "\n\n// run it\nfunc main() {\n}\n");
            assertCut(Language.GO, "\n    return false\n}" + END + "\n\nfmt.Println(1)\n");
        }

        @Test
        void waitsWhileTheFunctionIsOpen() {
            assertUndecided(Language.GO, "\n    if x {\n");
            assertUndecided(Language.GO, "\n    return false\n}\n"); // a helper may follow
            assertUndecided(Language.GO, "\n    return false\n}\nfunc"); // helper or main: the line decides
        }
    }

    @Nested
    class Java {
        @Test
        void endsWhenTheClassCloses() {
            assertCut(Language.JAVA, "\n        return false;\n    }\n}" + END + "\n\npublic class Main {\n    public static void main(String[] a) {}\n}\n");
        }

        @Test
        void helperMethodsInsideTheClassAndBracesInLiteralsAreKept() {
            assertCut(Language.JAVA, "\n        return helper(\"}}\", '}');\n    }\n\n    /* } */ private boolean helper(String s, char c) {\n"
                    + "        String block = \"\"\"\n            }}\n            \"\"\";\n        return s.isEmpty() || c == '\\'';\n    }\n}" + END
                    + "\n```\n");
        }

        @Test
        void theMethodClosingIsNotTheEnd() {
            assertUndecided(Language.JAVA, "\n        return false;\n    }\n");
            assertCut(Language.JAVA, "\n        return false;\n    }" + END + "\n```\n"); // the fence ends it even so
        }
    }

    @Nested
    class JavaScript {
        @Test
        void templatesAndRegexesDoNotCount() {
            assertCut(Language.JAVASCRIPT, "\n  const s = `}${ {a: 1}.a }}`;\n  const r = /[}'\"`]/g;\n  const t = numbers.map(x => x / 2 / 1);\n"
                    + "  return r.test(s) && t.length > 0;\n}" + END + "\nconsole.log(hasCloseElements([1], 1));\n");
        }

        @Test
        void keepsFunctionHelpersAndTheSemicolon() {
            assertCut(Language.JAVASCRIPT, "\n  return helper(numbers);\n};\n\nconst helper = (xs) => {\n  return false;\n}\n"
                    + "function other() { return '{'; }" + END + "\nmodule.exports = hasCloseElements;\n");
        }

        @Test
        void endsAtTheFence() {
            assertCut(Language.JAVASCRIPT, "\n  return false;\n}" + END + "\n```\n");
            assertUndecided(Language.JAVASCRIPT, "\n  if (x) { return '}'");
        }
    }

    @Nested
    class Cpp {
        @Test
        void charactersStringsRawStringsAndDigitSeparatorsDoNotCount() {
            assertCut(Language.CPP, "\n    char a = '}', b = '\\'', c = '{';\n    string s = \"}\\\"{\";\n    string r = R\"x(}\")x\";\n"
                    + "    int big = 1'000'000;\n    // }\n    return a == b || s.size() > 0 || big > 0;\n}" + END
                    + "\nint main() {\n    return 0;\n}\n");
        }

        @Test
        void keepsIncludesAndHelperFunctions() {
            assertCut(Language.CPP, "\n    return helper(numbers);\n}\n#include<set>\nbool helper(vector<float> v) {\n    return v.empty();\n}"
                    + END + "\n\nint main(){\n}\n");
        }

        @Test
        void waitsWhileTheFunctionIsOpen() {
            assertUndecided(Language.CPP, "\n    for (int i = 0; i < 3; i++) {\n        if (i) {\n        }\n");
        }
    }

    @Nested
    class Rust {
        @Test
        void lifetimesCharsRawStringsAndNestedCommentsDoNotCount() {
            assertCut(Language.RUST, "\n    let c = '}';\n    let s: &'static str = \"}\";\n    let r = r#\"}\"#;\n    /* nested /* } */ } */\n"
                    + "    'outer: for _ in 0..1 { break 'outer; }\n    return c == '}' && s.len() + r.len() > 0;\n}" + END
                    + "\nfn main() {\n    println!(\"{}\", 1);\n}\n");
        }

        @Test
        void keepsHelpersAndTypesButNotTests() {
            assertCut(Language.RUST, "\n    helper(&numbers)\n}\n\n#[derive(Debug)]\nstruct Pair { a: i32 }\n\npub fn helper(v: &Vec<f32>) -> bool {\n"
                    + "    v.is_empty()\n}" + END + "\n\n#[cfg(test)]\nmod tests {\n}\n");
        }

        @Test
        void waitsWhileTheFunctionIsOpen() {
            assertUndecided(Language.RUST, "\n    if true {\n        return false;\n    }\n");
        }
    }

    @Test
    void everyLanguageEndsAtTheFenceAfterNestedBlocksAndWaitsInsideThem() {
        Map<Language, String> nested = Map.of(
                Language.PYTHON, "\n    for a in numbers:\n        for b in numbers:\n            if a != b:\n                return True\n    return False",
                Language.CPP, "\n    for (int i = 0; i < 2; i++) {\n        if (i) { { } }\n    }\n    return false;\n}",
                Language.GO, "\n    for {\n        if true {\n            break\n        }\n    }\n    return false\n}",
                Language.JAVA, "\n        for (;;) {\n            if (true) { break; }\n        }\n        return false;\n    }\n}",
                Language.JAVASCRIPT, "\n  for (;;) {\n    if (true) { break; }\n  }\n  return false;\n}",
                Language.RUST, "\n    loop {\n        if true { break; }\n    }\n    false\n}");
        nested.forEach((l, code) -> {
            assertCut(l, code + END + "\n```\n\nAn explanation with {braces} and ```code```.\n");
            String open = code.substring(0, code.indexOf("if") + 2);
            assertUndecided(l, open + " x\n");
        });
    }

    /** Each upstream stop sequence, at the top level after the function: what it starts decides. */
    @Test
    void upstreamStopSequencesEndTheAnswerWhereTheyStartNoDefinition() {
        assertThat(StopRules.UPSTREAM_STOP_SEQUENCES.keySet()).containsExactlyInAnyOrder(Language.PYTHON, Language.GO);
        String py = "\n    return True";
        Map<String, String> python = Map.of(
                "\nclass", " Helper:\n    pass", "\ndef", " helper():\n    pass", "\n@", "cache\ndef helper():\n    pass",
                "\n#", " comment\nprint(1)", "\nprint", "(1)", "\nif", " True:\n    pass", "\nassert", " True");
        assertThat(python.keySet()).containsExactlyInAnyOrderElementsOf(StopRules.UPSTREAM_STOP_SEQUENCES.get(Language.PYTHON));
        python.forEach((stop, rest) -> {
            boolean definition = List.of("\nclass", "\ndef", "\n@").contains(stop);
            assertCut(Language.PYTHON, definition ? py + stop + rest + END + "\n```\n" : py + END + stop + rest + "\n```\n");
        });
        String go = "\n    return false\n}\n";
        assertCut(Language.GO, go.stripTrailing() + END + "\n// comment\nfunc main() {\n}\n");
        assertCut(Language.GO, go.stripTrailing() + END + "\nfunc main() {\n}\n");
        assertCut(Language.GO, go + "func helper() {\n}" + END + "\n```\n");
        assertCut(Language.GO, go + "type t struct {\n}" + END + "\n```\n");
        assertCut(Language.GO, "\n    var s struct{}\n    _ = s" + go.stripTrailing() + END + "\n```\n");
    }

    @Test
    void aFenceLineClosesTheAnswerWhateverTheCodeAroundIt() {
        // Markdown closes the block there, so the model's answer is over even if its code is not.
        assertCut(Language.PYTHON, "\n    s = \"\"\"" + END + "\n```\n\"\"\"\n");
        assertCut(Language.GO, "\n    if x {" + END + "\n  ```\n");
    }

    @Test
    void theTemplatesNextSectionEndsTheAnswer() {
        assertCut(Language.GO, "\n    return false" + END + "\n\n@@ Instruction\nNext question");
    }

    @Test
    void aCutOnceMadeNeverMovesAsTheTextGrows() {
        for (Language l : Language.humanEvalPack()) {
            for (int n : List.of(0, 72, 137)) {
                EvalPrompt p = EvalPrompts.synthesis(HumanEvalPack.task(l, n));
                StopRule r = StopRules.of(p);
                String g = OracleAnswers.generation(Oracle.CANONICAL, p);
                int expected = r.finalCut(g);
                int decidedAt = -1;
                for (int i = 0; i <= g.length(); i++) {
                    int c = r.cut(g.substring(0, i));
                    if (decidedAt < 0 && c >= 0) {
                        decidedAt = i;
                    }
                    assertThat(c).as("%s after %d chars", p.label(), i).isEqualTo(decidedAt < 0 ? -1 : expected);
                }
                // Decided at the closing fence: before the epilogue's second code block.
                assertThat(decidedAt).as(p.label()).isLessThanOrEqualTo(g.indexOf("```") + 3);
            }
        }
    }

    @Test
    void explainDescribeNeverCutsAProseAnswerEarly() {
        HumanEvalTask t = HumanEvalPack.task(Language.GO, 0);
        StopRule r = StopRules.of(EvalPrompts.explainDescribe(t));
        int budget = t.docstring().length();
        String prose = "\nIt returns true\nif two numbers are close.\n// struct\nfunc\n```go\ncode\n```\n";
        assertThat(r.cut(prose)).isEqualTo(-1);
        assertThat(r.finalCut(prose)).isEqualTo(prose.stripTrailing().length());
        String longer = "  " + "x".repeat(budget + 50);
        assertThat(r.cut(longer)).as("once the clean-up's budget is full").isEqualTo(2 + budget);
        assertThat(r.cut("It compares pairs.\n\n@@ Instruction\nmore")).isEqualTo("It compares pairs.".length());
        assertThat(StopRules.of(TaskKind.EXPLAIN_DESCRIBE, Language.GO, "").cut(longer)).isEqualTo(-1);
    }

    @Test
    void theGeneratorsFactoryAgreesWithThePromptsAndAcceptsAliases() {
        EvalPrompt p = EvalPrompts.synthesis(HumanEvalPack.task(Language.JAVASCRIPT, 0));
        String g = OracleAnswers.generation(Oracle.CANONICAL, p);
        assertThat(StopRules.of(p.kind(), p.language(), p.responsePrefix()).cut(g)).isEqualTo(StopRules.of(p).cut(g));
        String alias = "```javascript\n" + p.codeStart();
        assertThat(StopRules.of(TaskKind.SYNTHESIS, Language.JAVASCRIPT, alias).cut(g)).isEqualTo(StopRules.of(p).cut(g));
    }

    @Test
    void rejectsPrefixesThatDoNotFitTheKindOrLanguage() {
        assertThatThrownBy(() -> StopRules.of(TaskKind.SYNTHESIS, Language.C, "```c\nint f() {"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a HumanEvalPack language");
        assertThatThrownBy(() -> StopRules.of(TaskKind.SYNTHESIS, Language.GO, "```python\ndef f():"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not name go");
        assertThatThrownBy(() -> StopRules.of(TaskKind.TRANSLATION, Language.GO, "func f() {"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opening fence");
        assertThatThrownBy(() -> StopRules.of(TaskKind.EXPLAIN_DESCRIBE, Language.GO, "```go\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts empty");
    }
}
