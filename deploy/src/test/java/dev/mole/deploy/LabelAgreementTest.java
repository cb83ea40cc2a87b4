package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.gpu.model.CodeSpan;
import dev.mole.gpu.model.CodeSpans;
import dev.mole.gpu.model.CuratedRecord;
import dev.mole.gpu.model.FenceRouter;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.RecordTokenizer;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.model.TokenizedSample;
import dev.mole.gpu.training.DatasetShards;
import dev.mole.gpu.training.TrainingRecord;
import dev.mole.orchestrator.curation.CurationEngine;
import dev.mole.orchestrator.curation.CurationProgress;
import dev.mole.orchestrator.curation.DirectoryShardSink;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.curation.RowSource;
import dev.mole.orchestrator.curation.RowSources;
import dev.mole.orchestrator.curation.SplitPlan;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training labels and inference routing come from one fence grammar: a record that curation stored is labelled at
 * inference exactly as curation labelled it, both as spans, as the routes of a whole prompt, and as the routes a
 * generation gets when the same text streams out one character at a time. Runs the real curation engine over generated
 * Glaive-like rows and over the fence edge cases.
 */
class LabelAgreementTest {

    /** question, answer: each a case a second grammar would likely read differently. */
    static final List<String[]> EDGE_CASES = List.of(
            new String[] {"nested fence, longer outer run", "````python\nprint('```js')\n```\nx = foo(1, 2)\n````\nok"},
            new String[] {"unterminated", "Here:\n```go\nfunc main() { x := f(1); y := g(x); h(y) }\n"},
            new String[] {"tildes are prose here", "~~~python\nx = 1\n~~~\n```python\ny = f(x, 2) + g(3)\n```"},
            new String[] {"info string", "```python title=\"a.py\" {1,3}\nx = f(1) + g(2, 3)\n```"},
            new String[] {"crlf", "Do:\r\n```java\r\nint x = f(a, b) + g(c);\r\n```\r\nok"},
            new String[] {"upper case tags", "```Python\nx = f(1, 2)\n```\n```RUST\nfn a() -> i32 { b(1) + c(2) }\n```"},
            new String[] {"indented fence", "  ```cpp\n  int x = f(a, b);\n  ```\nok"},
            new String[] {"aliases", "```c++\nint x = f(a);\n```\n```golang\nx := g(b, c)\n```\n```js\nlet y = h(d);\n```"},
            new String[] {"mid-line", "Use ```python x``` inline:\n```python\nz = f(x, y)\nw = g(z, x, y) + h(1, 2, 3)\n```"},
            new String[] {"fence in question\n```rs\nfn q(a: i32) -> i32 { a + 1 }\n```", "```rust\nfn r(b: i32) -> i32 { q(b) * 2 }\n```"});

    @TempDir
    static Path dir;
    static List<TrainingRecord> records;
    static LlamaModel model;

    @BeforeAll
    static void curate() throws Exception {
        Path input = dir.resolve("rows.jsonl");
        new GlaiveLikeGenerator(11).write(input, 400);
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (String[] c : EDGE_CASES) {
                w.write(json.writeValueAsString(Map.of("question", c[0], "answer", c[1])));
                w.newLine();
            }
        }
        CurationRequest request = new CurationRequest("labels", input.toString(), "jsonl", "question", "answer",
                FenceMode.NORMALIZED, 0.05, 42);
        CurationEngine engine = new CurationEngine(request, dir);
        SplitPlan plan;
        try (RowSource s = RowSources.open(input, "jsonl", "question", "answer")) {
            plan = engine.plan(s, CurationProgress.none());
        }
        Path shards = Files.createDirectories(dir.resolve("shards"));
        try (RowSource s = RowSources.open(input, "jsonl", "question", "answer")) {
            engine.write(s, plan, new DirectoryShardSink(shards), null, CurationProgress.none());
        }
        DatasetShards.Splits splits = DatasetShards.read(shards);
        records = new ArrayList<>(splits.train());
        records.addAll(splits.validation());
        model = LlamaModel.load(TinyCheckpointFactory.write(Files.createDirectories(dir.resolve("base")),
                TinyCheckpointFactory.Options.defaults()));
    }

    @Test
    void everyEdgeCaseWasKeptByCuration() {
        for (String[] c : EDGE_CASES) {
            assertThat(records).as(c[0]).anyMatch(r -> r.record().question().equals(c[0]));
        }
        assertThat(records.size()).isGreaterThan(200);
    }

    @Test
    void inferenceFindsExactlyTheStoredSpans() {
        for (TrainingRecord r : records) {
            CuratedRecord c = r.record();
            List<CodeSpan> found = new ArrayList<>(CodeSpans.of(c.question(), "question"));
            found.addAll(CodeSpans.of(c.answer(), "answer"));
            assertThat(found).as(c.question()).isEqualTo(c.spans());
        }
    }

    @Test
    void aPromptHoldingTheWholeRecordIsRoutedAsTrainingRoutesIt() {
        RecordTokenizer rt = RecordTokenizer.forModel(model, Integer.MAX_VALUE);
        for (TrainingRecord r : records) {
            CuratedRecord c = r.record();
            TokenizedSample train = rt.tokenize(c).orElseThrow();
            TokenizedSample prompt = rt.prompt(c.question(), c.answer());
            assertThat(prompt.ids()).as(c.question()).isEqualTo(Arrays.copyOf(train.ids(), prompt.length()));
            assertThat(prompt.routes()).as(c.question()).isEqualTo(Arrays.copyOf(train.routes(), prompt.length()));
        }
    }

    @Test
    void streamedAnswerCharactersAreRoutedAsTheirStoredLabels() {
        for (TrainingRecord r : records) {
            CuratedRecord c = r.record();
            FenceRouter router = new FenceRouter();
            String a = c.answer();
            for (int i = 0; i < a.length(); i++) {
                int expected = Route.NL;
                for (CodeSpan s : c.spans()) {
                    if (s.field().equals("answer") && i >= s.start() && i < s.end()) expected = Route.code(s.language());
                }
                assertThat(router.next(String.valueOf(a.charAt(i)))).as("char %d of %s", i, a).isEqualTo(expected);
            }
        }
    }
}
