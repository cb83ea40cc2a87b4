package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

import dev.mole.contracts.evaluation.TaskKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import org.junit.jupiter.api.Test;

class EvalPromptsTest {

    @Test
    void fenceTagsAreHumanEvalPacksNamesAndRouteToTheirLanguage() {
        assertThat(EvalPrompts.fenceTag(Language.JAVASCRIPT)).isEqualTo("js");
        assertThat(EvalPrompts.fenceTag(Language.CPP)).isEqualTo("cpp");
        for (Language l : Language.humanEvalPack()) {
            assertThat(Language.fromTag(EvalPrompts.fenceTag(l))).contains(l);
        }
    }

    @Test
    void synthesisGivesTheInstructionAndStartsTheResponseWithThePrompt() {
        HumanEvalTask t = HumanEvalPack.task(Language.PYTHON, 0);
        EvalPrompt p = EvalPrompts.synthesis(t);
        assertThat(p.instruction()).isEqualTo(t.instruction().strip())
                .startsWith("Write a Python function `has_close_elements(numbers: List[float], threshold: float) -> bool`");
        assertThat(p.responsePrefix()).isEqualTo("```python\nfrom typing import List\n\n\n"
                + "def has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
                + "    \"\"\" Check if in given list of numbers, are any two numbers closer to each other than\n"
                + "    given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n"
                + "    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)\n    True\n    \"\"\"");
        assertThat(p.label()).isEqualTo("synthesis/Python/0");

        // Blank lines before the code go, and so does the whitespace after it (upstream strips the prompt's end).
        EvalPrompt py10 = EvalPrompts.synthesis(HumanEvalPack.task(Language.PYTHON, 10));
        assertThat(HumanEvalPack.task(Language.PYTHON, 10).prompt()).startsWith("\n\ndef is_palindrome");
        assertThat(py10.responsePrefix()).startsWith("```python\ndef is_palindrome").endsWith("'catac'\n    \"\"\"");
        assertThat(EvalPrompts.synthesis(HumanEvalPack.task(Language.JAVASCRIPT, 0)).responsePrefix())
                .startsWith("```js\n/* Check if in given list").endsWith("const hasCloseElements = (numbers, threshold) => {");
    }

    @Test
    void explainDescribeShowsTheCodeWithoutDocstringAndAsksForADescriptionOfTheDocstringsLength() {
        HumanEvalTask t = HumanEvalPack.task(Language.JAVA, 0);
        EvalPrompt p = EvalPrompts.explainDescribe(t);
        assertThat(p.responsePrefix()).isEmpty();
        assertThat(p.instruction()).startsWith("```java\nimport java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
                        + "    public boolean hasCloseElements(List<Double> numbers, double threshold) {\n"
                        + "        for (int i = 0; i < numbers.size(); i++) {")
                .endsWith("        return false;\n    }\n}\n```\n"
                        + "Provide a concise natural language description of the code using at most 235 characters.")
                .doesNotContain("Check if in given list");
        assertThat(t.docstring()).hasSize(235);

        // CPP/38's declaration already opens the body: the code shows it once, not twice.
        String cpp = EvalPrompts.explainDescribe(HumanEvalPack.task(Language.CPP, 38)).instruction();
        assertThat(cpp.split("int l=s.length\\(\\);", -1)).hasSize(3); // encode_cyclic and decode_cyclic
        assertThat(cpp).contains("x=x[2]+x.substr(0,2);");
        // Rust starts from fn main(){} + declaration, as upstream's declaration prompts do.
        assertThat(EvalPrompts.explainDescribe(HumanEvalPack.task(Language.RUST, 0)).instruction())
                .startsWith("```rust\nfn main(){}\n\nuse std::");
    }

    @Test
    void explainSynthesisPutsTheDescriptionFirstAndStartsFromTheDeclaration() {
        HumanEvalTask t = HumanEvalPack.task(Language.CPP, 0);
        EvalPrompt p = EvalPrompts.explainSynthesis(t, "  Checks whether two numbers are close.\n");
        assertThat(p.instruction()).isEqualTo("Checks whether two numbers are close.\n"
                + "Write functional code in C++ according to the description.");
        assertThat(p.responsePrefix()).isEqualTo("```cpp\n#include<stdio.h>\n#include<vector>\n#include<math.h>\n"
                + "using namespace std;\n#include<algorithm>\n#include<stdlib.h>\n"
                + "bool has_close_elements(vector<float> numbers, float threshold){");
        assertThat(EvalPrompts.explainSynthesis(t, "").instruction())
                .isEqualTo("Write functional code in C++ according to the description.");
        assertThat(EvalPrompts.explainSynthesis(HumanEvalPack.task(Language.JAVASCRIPT, 0), "d").instruction())
                .endsWith("Write functional code in JavaScript according to the description.");
        assertThat(EvalPrompts.explainSynthesis(HumanEvalPack.task(Language.GO, 0), "d").responsePrefix())
                .isEqualTo("```go\nfunc HasCloseElements(numbers []float64, threshold float64) bool {");
        assertThatThrownBy(() -> EvalPrompts.explainSynthesis(t, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("description");
    }

    @Test
    void goDeclarationsGetThePromptsHelpersButNotTheDocstring() {
        EvalPrompt p = EvalPrompts.explainSynthesis(HumanEvalPack.task(Language.GO, 10), "d");
        assertThat(p.responsePrefix()).startsWith("```go\n// Test if given string is a palindrome.\nfunc IsPalindrome(str string) bool {")
                .endsWith("}\nfunc MakePalindrome(str string) string {")
                .doesNotContain("Find the shortest palindrome", "import");
        for (int n : new int[] {32, 38, 50}) {
            HumanEvalTask t = HumanEvalPack.task(Language.GO, n);
            assertThat(EvalPrompts.translation(HumanEvalPack.task(Language.PYTHON, n), t).codeStart())
                    .as(t.taskId()).contains("func " + (n == 32 ? "Poly" : n == 38 ? "EncodeCyclic" : "EncodeShift") + "(")
                    .endsWith("func " + t.entryPoint() + t.declaration().strip().substring(5 + t.entryPoint().length()));
        }
    }

    @Test
    void translationShowsTheSourceSolutionAndStartsFromTheTargetsDeclaration() {
        HumanEvalTask py = HumanEvalPack.task(Language.PYTHON, 0);
        HumanEvalTask rust = HumanEvalPack.task(Language.RUST, 0);
        EvalPrompt p = EvalPrompts.translation(py, rust);
        assertThat(p.kind()).isEqualTo(TaskKind.TRANSLATION);
        assertThat(p.task()).isSameAs(rust);
        assertThat(p.source()).isSameAs(py);
        assertThat(p.instruction()).startsWith("```python\nfrom typing import List\n\n\ndef has_close_elements(")
                .contains("Check if in given list of numbers", "    for idx, elem in enumerate(numbers):")
                .endsWith("    return False\n```\nTranslate the code snippet from Python to Rust.");
        assertThat(p.responsePrefix()).startsWith("```rust\nfn main(){}\n\nuse std::")
                .endsWith("fn has_close_elements(numbers:Vec<f32>, threshold: f32) -> bool{");
        assertThat(p.label()).isEqualTo("translation/Python/0->Rust/0");
        assertThat(EvalPrompts.translation(rust, HumanEvalPack.task(Language.JAVASCRIPT, 0)).instruction())
                .startsWith("```rust\nfn main(){}").endsWith("from Rust to JavaScript.");
    }

    @Test
    void translationNeedsOneProblemInTwoLanguages() {
        HumanEvalTask py0 = HumanEvalPack.task(Language.PYTHON, 0);
        assertThatThrownBy(() -> EvalPrompts.translation(py0, HumanEvalPack.task(Language.GO, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Python/0 and Go/1 are different tasks");
        assertThatThrownBy(() -> EvalPrompts.translation(py0, py0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two different languages");
        assertThatThrownBy(() -> new EvalPrompt(TaskKind.SYNTHESIS, py0, py0, "i", "c"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void taskKindsParseByIdOrName() {
        assertThat(TaskKind.parse("explain-synthesis")).isEqualTo(TaskKind.EXPLAIN_SYNTHESIS);
        assertThat(TaskKind.parse(" EXPLAIN_DESCRIBE ")).isEqualTo(TaskKind.EXPLAIN_DESCRIBE);
        assertThat(TaskKind.EXPLAIN_DESCRIBE.producesCode()).isFalse();
        assertThatThrownBy(() -> TaskKind.parse("fix")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("synthesis");
        assertThat(Oracle.parse("Buggy")).isEqualTo(Oracle.BUGGY);
        assertThatThrownBy(() -> Oracle.parse("perfect")).hasMessageContaining("canonical or buggy");
    }
}
