package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.sandbox.SandboxProgram;
import org.junit.jupiter.api.Test;

class ProgramAssemblerTest {

    private static SandboxProgram program(String lang, String prompt, String solution, String test, String imp, String setup) {
        return new SandboxProgram("id", lang, "X/0", prompt, solution, test, imp, setup);
    }

    private static final CompletionMarker MARKER = new CompletionMarker("mole-tests-finished-" + "5a".repeat(16));

    @Test
    void pythonIsPromptSolutionThenTestThenTheMarker() {
        AssembledProgram a = ProgramAssembler.forLanguage(Language.PYTHON)
                .assemble(program("python", "def f(x):\n", "    return x\n", "def check(f):\n    assert f(1) == 1\ncheck(f)", "", ""), MARKER);
        assertThat(a.mainFile()).isEqualTo("main.py");
        assertThat(a.marker()).isEqualTo(MARKER);
        assertThat(a.mainSource()).isEqualTo("def f(x):\n    return x\n\n\ndef check(f):\n    assert f(1) == 1\ncheck(f)\n"
                + "\n\nprint(\"\\n" + MARKER.line() + "\\n\", end=\"\", flush=True)\n");
    }

    @Test
    void everyLanguagePrintsTheMarkerOnceAndAfterTheTestWhereTheFileRunsTopToBottom() {
        for (Language l : Language.humanEvalPack()) {
            AssembledProgram a = ProgramAssembler.forLanguage(l).assemble(program(l.id(), "PROMPT\n", "SOLUTION\n", "TEST", "", ""), MARKER);
            String s = a.mainSource();
            assertThat(s).as(l.id()).containsOnlyOnce(MARKER.quotedLiteral());
            if (l != Language.JAVA) { // Java's entry class comes first in the file: see its own test
                assertThat(s.indexOf(MARKER.line())).as(l.id()).isGreaterThan(s.indexOf("TEST"));
            }
        }
    }

    @Test
    void eachAssemblyHasItsOwnFreshMarker() {
        SandboxProgram p = program("js", "", "", "", "", "");
        assertThat(ProgramAssembler.assembleAny(p).marker()).isNotEqualTo(ProgramAssembler.assembleAny(p).marker());
    }

    @Test
    void cppTurnsTheTestsMainIntoALambdaThatTheRealMainRunsBeforeTheMarker() {
        String s = ProgramAssembler.forLanguage(Language.CPP)
                .assemble(program("cpp", "int f(){\n", "    return 1;\n}\n", "int main(){\n    assert(f()==1);\n}", "", ""), MARKER)
                .mainSource();
        assertThat(s.indexOf("#define main()")).isGreaterThan(s.indexOf("return 1;")).isLessThan(s.indexOf("int main(){"));
        assertThat(s.indexOf("#undef main")).isGreaterThan(s.indexOf("assert(f()==1)"));
        assertThat(s.indexOf("mole_run_tests(mole_tests)")).isLessThan(s.indexOf(MARKER.line()));
    }

    @Test
    void javaStartsInAnEntryClassThatRunsTheTestsMainFirst() {
        String test = "public class Main {\n    public static void main(String[] args) { }\n}\n";
        String s = ProgramAssembler.forLanguage(Language.JAVA).assemble(program("java", "class Solution {\n", "}\n", test, "", ""), MARKER)
                .mainSource();
        assertThat(s.indexOf("final class MoleTestsEntry")).as("the source launcher runs the first class").isLessThan(s.indexOf("public class Main"));
        assertThat(s.indexOf("Main.main(args);")).isLessThan(s.indexOf(MARKER.line()));
    }

    @Test
    void rustsMarkerTestSortsAfterTheBenchmarksTestsModule() {
        String s = ProgramAssembler.forLanguage(Language.RUST).assemble(program("rust", "", "", "mod tests {}", "", ""), MARKER).mainSource();
        assertThat(s).contains("mod zz_mole_completion {");
        assertThat("zz_mole_completion::all_tests_before_this_one_finished").isGreaterThan("tests::test_zzzzzzzz");
    }

    @Test
    void goRunsTheTestsFromATestMainThatPrintsTheMarkerOnlyWhenTheyPassed() {
        String s = ProgramAssembler.forLanguage(Language.GO).assemble(program("go", "", "", "func TestF(t *testing.T) {}\n", "", ""), MARKER)
                .mainSource();
        assertThat(s).contains("mole_os \"os\"", "mole_testing \"testing\"", "func TestMain(m *mole_testing.M) {");
        assertThat(s.indexOf("if m.Run() == 0 {")).isLessThan(s.indexOf(MARKER.line()));
    }

    @Test
    void jsCppRustKeepTheOrderPromptSolutionTest() {
        for (String lang : new String[] {"js", "cpp", "rust"}) {
            AssembledProgram a = ProgramAssembler.assembleAny(program(lang, "PROMPT\n", "SOLUTION\n", "TEST", "", ""));
            String s = a.mainSource();
            assertThat(s.indexOf("PROMPT")).as(lang).isLessThan(s.indexOf("SOLUTION"));
            assertThat(s.indexOf("SOLUTION")).as(lang).isLessThan(s.indexOf("TEST"));
        }
        assertThat(ProgramAssembler.assembleAny(program("cpp", "p", "s", "t", "", "")).mainFile()).isEqualTo("main.cpp");
        assertThat(ProgramAssembler.assembleAny(program("rust", "p", "s", "t", "", "")).mainFile()).isEqualTo("main.rs");
    }

    @Test
    void javaPutsImportsFirstThenTheEntryAndMainClassesThenTheSolutionClass() {
        String prompt = "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n    public int f(int x) {\n";
        String test = "public class Main {\n    public static void main(String[] args) { new Solution().f(1); }\n}\n";
        AssembledProgram a = ProgramAssembler.assembleAny(program("java", prompt, "        return x;\n    }\n}\n", test, "", ""));
        String s = a.mainSource();
        assertThat(a.mainFile()).isEqualTo("Main.java");
        assertThat(s).startsWith("import java.util.*;\nimport java.lang.*;\n");
        // the test class before the candidate's (the entry class before both: see below)
        assertThat(s.indexOf("public class Main")).isLessThan(s.indexOf("class Solution"));
        assertThat(s).containsOnlyOnce("import java.util.*;");
    }

    @Test
    void goMergesImportsAndDropsUnusedOnes() {
        String prompt = "import (\n    \"math\"\n    \"strings\"\n)\n\n// uses strings.ToLower in a comment only\nfunc F(x float64) float64 {\n";
        String solution = "    return math.Abs(x) + float64(len(strconv.Itoa(1)))\n}\n";
        String setup = "package main\n\nimport (\n    \"testing\"\n    \"github.com/stretchr/testify/assert\"\n)\n";
        String test = "func TestF(t *testing.T) {\n    assert := assert.New(t)\n    assert.Equal(1.0, F(1))\n}\n";
        AssembledProgram a = ProgramAssembler.assembleAny(program("go", prompt, solution, test, "import (\n    \"math\"\n)\n", setup));
        String s = a.mainSource();
        assertThat(a.mainFile()).isEqualTo("main_test.go");
        assertThat(s).startsWith("package main\n");
        assertThat(s).containsOnlyOnce("package main");
        assertThat(s).contains("\"math\"", "\"testing\"", "\"github.com/stretchr/testify/assert\"");
        assertThat(s).as("used but not imported by the prompt: added").contains("\"strconv\"");
        assertThat(s).as("imported but only named in a comment: Go would reject it").doesNotContain("\"strings\"");
        assertThat(s).containsOnlyOnce("import (");
    }

    @Test
    void goKeepsPromptHelpersThatLiveOutsideTheDeclaration() {
        String prompt = "func IsPalindrome(s string) bool { return true }\n\nfunc F(s string) string {\n";
        AssembledProgram a = ProgramAssembler.assembleAny(program("go", prompt, "    return s\n}\n", "func TestF(t *testing.T) {}\n", "", ""));
        assertThat(a.mainSource()).contains("func IsPalindrome").contains("\"testing\"");
    }

    @Test
    void unknownLanguageIsRejected() {
        assertThatThrownBy(() -> ProgramAssembler.assembleAny(program("cobol", "", "", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cobol");
    }

    @Test
    void languageNamesParseInAllSpellings() {
        assertThat(Language.parse("JavaScript")).isEqualTo(Language.JAVASCRIPT);
        assertThat(Language.parse("js")).isEqualTo(Language.JAVASCRIPT);
        assertThat(Language.parse("CPP")).isEqualTo(Language.CPP);
        assertThat(Language.parse("Go")).isEqualTo(Language.GO);
    }
}
