package dev.mole.contracts.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedFenceParserTest {
    private final NormalizedFenceParser parser = new NormalizedFenceParser();

    @Test
    void simpleBlockSpanRunsFromAfterTagThroughClosingFence() {
        String text = "Intro\n```python\nx = 1\n```\nOutro";
        FenceScan scan = parser.scan(text);
        assertThat(scan.firstProblem()).isNull();
        assertThat(scan.blocks()).hasSize(1);
        CodeBlock b = scan.blocks().get(0);
        assertThat(b.language()).isEqualTo(Language.PYTHON);
        assertThat(b.tag()).isEqualTo("python");
        assertThat(text.substring(b.spanStart(), b.spanEnd())).isEqualTo("\nx = 1\n```");
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("x = 1\n");
        assertThat(b.terminated()).isTrue();
    }

    @Test
    void aliasesAreNormalisedAndRecorded() {
        String text = "```C++\nint x;\n```\n```py\nx\n```\n```golang\nx\n```\n```cs\nx\n```";
        FenceScan scan = parser.scan(text);
        assertThat(scan.blocks()).extracting(CodeBlock::language)
                .containsExactly(Language.CPP, Language.PYTHON, Language.GO, Language.CSHARP);
        assertThat(scan.blocks()).extracting(CodeBlock::tag).containsExactly("c++", "py", "golang", "cs");
    }

    @Test
    void infoStringTagIsFirstWordOnly() {
        String text = "```rust title=\"main.rs\"\nfn main() {}\n```";
        CodeBlock b = parser.scan(text).blocks().get(0);
        assertThat(b.language()).isEqualTo(Language.RUST);
        assertThat(b.spanStart()).isEqualTo(text.indexOf(" title"));
    }

    @Test
    void shorterFenceInsideLongerFenceIsContent() {
        String text = "````python\nprint('''\n```js\nx\n```\n''')\n````\nafter";
        FenceScan scan = parser.scan(text);
        assertThat(scan.firstProblem()).isNull();
        assertThat(scan.blocks()).hasSize(1);
        CodeBlock b = scan.blocks().get(0);
        assertThat(b.language()).isEqualTo(Language.PYTHON);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("print('''\n```js\nx\n```\n''')\n");
        assertThat(b.spanEnd()).isEqualTo(text.indexOf("\nafter"));
    }

    @Test
    void closingFenceMayBeLongerButNotShorterAndMustHaveNoTag() {
        String text = "```go\na\n```go\nb\n``\nc\n`````  \nrest";
        FenceScan scan = parser.scan(text);
        assertThat(scan.blocks()).hasSize(1);
        CodeBlock b = scan.blocks().get(0);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("a\n```go\nb\n``\nc\n");
        assertThat(text.substring(b.spanEnd())).isEqualTo("  \nrest");
    }

    @Test
    void unterminatedFenceRunsToEndAndCounts() {
        String text = "Answer:\n```java\nclass A {}\n";
        FenceScan scan = parser.scan(text);
        assertThat(scan.blocks()).hasSize(1);
        CodeBlock b = scan.blocks().get(0);
        assertThat(b.terminated()).isFalse();
        assertThat(b.spanEnd()).isEqualTo(text.length());
        assertThat(b.contentEnd()).isEqualTo(text.length());
        assertThat(text.substring(b.contentStart())).isEqualTo("class A {}\n");
    }

    @Test
    void unterminatedFenceOnLastLineHasEmptyContent() {
        String text = "x\n```c";
        CodeBlock b = parser.scan(text).blocks().get(0);
        assertThat(b.contentStart()).isEqualTo(text.length());
        assertThat(b.spanStart()).isEqualTo(text.length());
        assertThat(b.spanEnd()).isEqualTo(text.length());
    }

    @Test
    void unlabelledAndUnknownFencesAreProblemsInTextOrder() {
        FenceScan unlabelled = parser.scan("```\nx\n```\n```bash\nls\n```");
        assertThat(unlabelled.firstProblem()).isEqualTo(FenceProblem.UNLABELLED_FENCE);
        assertThat(unlabelled.unknownTags()).containsExactly("bash");
        FenceScan unknown = parser.scan("```SQL\nselect 1\n```\n```\nx\n```");
        assertThat(unknown.firstProblem()).isEqualTo(FenceProblem.UNKNOWN_LANGUAGE);
        assertThat(unknown.unknownTags()).containsExactly("sql");
        assertThat(unknown.blocks()).isEmpty();
    }

    @Test
    void crlfOffsetsAreIntoTheOriginalString() {
        String text = "Hi\r\n```cpp\r\nint x = 1;\r\n```\r\nbye";
        CodeBlock b = parser.scan(text).blocks().get(0);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("int x = 1;\r\n");
        assertThat(text.substring(b.spanStart(), b.spanEnd())).isEqualTo("\r\nint x = 1;\r\n```");
    }

    @Test
    void nonAsciiTextKeepsCharOffsets() {
        String text = "Voilà 😀 \n```js\nconst s = \"é😀\";\n```";
        CodeBlock b = parser.scan(text).blocks().get(0);
        assertThat(text.substring(b.contentStart(), b.contentEnd())).isEqualTo("const s = \"é😀\";\n");
        assertThat(b.spanEnd()).isEqualTo(text.length());
    }

    @Test
    void indentOfFourSpacesOrATabIsNotAFence() {
        assertThat(parser.scan("    ```python\n    x\n    ```").blocks()).isEmpty();
        assertThat(parser.scan("\t```python\nx\n```").blocks()).isEmpty();
        assertThat(parser.scan("   ```python\nx\n   ```").blocks()).hasSize(1);
    }

    @Test
    void midLineBackticksAreNotFences() {
        FenceScan scan = parser.scan("Use ```python x``` inline, or ``x``.");
        assertThat(scan.blocks()).isEmpty();
        assertThat(scan.firstProblem()).isNull();
    }

    @Test
    void backtickInInfoStringMakesThePlainText() {
        assertThat(parser.scan("```py`thon\nx\n```").blocks()).isEmpty();
    }
}
