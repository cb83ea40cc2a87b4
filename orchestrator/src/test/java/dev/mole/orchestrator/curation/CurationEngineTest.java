package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.FenceMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurationEngineTest {

    @TempDir
    static Path shared;
    static Path generated;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        generated = shared.resolve("glaive-like.jsonl");
        new GlaiveLikeGenerator(7).withMalformedShare(0.01).write(generated, 4_000);
    }

    private static CurationRequest request(Path input, FenceMode mode, double share, long seed) {
        return new CurationRequest("t", input.toString(), "auto", "question", "answer", mode, share, seed);
    }

    /** Result of one plan + write run. */
    private record Run(SplitPlan plan, CurationOutput output, Map<String, byte[]> shards,
            List<WriteCheckpoint> checkpoints) {}

    private Run run(CurationRequest request, int perShard) throws IOException {
        CurationEngine engine = new CurationEngine(request, perShard, dir);
        Path input = Path.of(request.inputUri());
        SplitPlan plan;
        try (RowSource source = RowSources.open(input, request.format(), "question", "answer")) {
            plan = engine.plan(source, CurationProgress.none());
        }
        TestRows.MemorySink sink = new TestRows.MemorySink();
        List<WriteCheckpoint> checkpoints = new ArrayList<>();
        CurationOutput output;
        try (RowSource source = RowSources.open(input, request.format(), "question", "answer")) {
            output = engine.write(source, plan, sink, null, collecting(checkpoints));
        }
        return new Run(plan, output, sink.shards, checkpoints);
    }

    private static CurationProgress collecting(List<WriteCheckpoint> checkpoints) {
        return new CurationProgress() {
            @Override
            public void rowsRead(String phase, long rows, long bytes) {}

            @Override
            public void shardWritten(WriteCheckpoint checkpoint) {
                checkpoints.add(checkpoint);
            }
        };
    }

    @Test
    void recordsCarryIdLanguageAndSpansInInputOrder() throws IOException {
        String q0 = "Print?\r\n```cpp\r\nstd::cout << 1 << 2 << 3;\r\n```";
        String a0 = "Like this:\n```c++\nstd::cout << x << y;\n```\nThat is it.";
        String a2 = "```python\nprint(\"é😀\")\n```";
        List<String[]> rows = List.of(new String[] {q0, a0}, new String[] {"prose", "only prose here"},
                new String[] {"q", a2});
        CurationRequest request = request(Path.of("mem.jsonl"), FenceMode.NORMALIZED, 0.0, 1);
        CurationEngine engine = new CurationEngine(request, 10, dir);
        SplitPlan plan = engine.plan(TestRows.of(rows), CurationProgress.none());
        TestRows.MemorySink sink = new TestRows.MemorySink();
        CurationOutput out = engine.write(TestRows.of(rows), plan, sink, null, CurationProgress.none());

        assertThat(sink.shards).containsOnlyKeys("train-00000.jsonl.gz");
        List<JsonNode> records = TestRows.records(sink.shards, "train");
        assertThat(records).extracting(r -> r.get("id").asLong()).containsExactly(0L, 2L);
        JsonNode r0 = records.get(0);
        assertThat(r0.get("question").asText()).isEqualTo(q0);
        assertThat(r0.get("answer").asText()).isEqualTo(a0);
        assertThat(r0.get("language").asText()).isEqualTo("cpp");
        JsonNode qs = r0.get("spans").get(0);
        assertThat(qs.get("field").asText()).isEqualTo("question");
        assertThat(q0.substring(qs.get("start").asInt(), qs.get("end").asInt()))
                .isEqualTo("\r\nstd::cout << 1 << 2 << 3;\r\n```");
        JsonNode as = r0.get("spans").get(1);
        assertThat(as.get("field").asText()).isEqualTo("answer");
        assertThat(as.get("language").asText()).isEqualTo("cpp");
        assertThat(a0.substring(as.get("start").asInt(), as.get("end").asInt()))
                .isEqualTo("\nstd::cout << x << y;\n```");
        assertThat(records.get(1).get("answer").asText()).isEqualTo(a2);

        CurationStatistics s = out.statistics();
        assertThat(s.inputRows()).isEqualTo(3);
        assertThat(s.keptRows()).isEqualTo(2);
        assertThat(s.droppedByReason()).containsEntry("no_code_block", 1L);
        assertThat(s.languages().get(1).language()).isEqualTo("cpp");
        assertThat(s.languages().get(1).codeBlocks()).isEqualTo(2);
        assertThat(s.tagRules()).extracting(CurationStatistics.TagRule::tag).containsExactly("c++", "cpp", "python");
    }

    @Test
    void splitIsExactPerLanguageAndDependsOnlyOnTheSeed() throws IOException {
        Run a = run(request(generated, FenceMode.NORMALIZED, 0.05, 42), 20_000);
        CurationStatistics s = a.output.statistics();
        assertThat(s.keptRows()).isGreaterThan(2_000);
        for (CurationStatistics.LanguageRow l : s.languages()) {
            assertThat(l.validationSamples()).as(l.language()).isEqualTo(Math.round(0.05 * l.samples()));
            assertThat(l.trainSamples() + l.validationSamples()).isEqualTo(l.samples());
        }
        List<JsonNode> validation = TestRows.records(a.shards, "validation");
        List<JsonNode> train = TestRows.records(a.shards, "train");
        assertThat(validation).hasSize((int) s.validationRows());
        assertThat(train).hasSize((int) s.trainRows());
        Map<String, Long> perLanguage = validation.stream()
                .collect(Collectors.groupingBy(r -> r.get("language").asText(), Collectors.counting()));
        for (CurationStatistics.LanguageRow l : s.languages()) {
            assertThat(perLanguage.getOrDefault(l.language(), 0L)).isEqualTo(l.validationSamples());
        }
        Set<Long> validationIds = ids(validation);
        assertThat(ids(train)).doesNotContainAnyElementsOf(validationIds);
        assertThat(new ArrayList<>(ids(train))).isSorted();

        Run same = run(request(generated, FenceMode.NORMALIZED, 0.05, 42), 20_000);
        assertThat(ids(TestRows.records(same.shards, "validation"))).isEqualTo(validationIds);
        Run other = run(request(generated, FenceMode.NORMALIZED, 0.05, 43), 20_000);
        Set<Long> otherIds = ids(TestRows.records(other.shards, "validation"));
        assertThat(otherIds).hasSameSizeAs(validationIds).isNotEqualTo(validationIds);
    }

    private static Set<Long> ids(List<JsonNode> records) {
        Set<Long> ids = new java.util.LinkedHashSet<>();
        records.forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    @Test
    void shardsAreByteIdenticalAcrossRunsAndGzipHasNoTimestamp() throws IOException {
        CurationRequest request = request(generated, FenceMode.NORMALIZED, 0.05, 42);
        Run a = run(request, 500);
        Run b = run(request, 500);
        assertThat(a.shards.keySet()).containsExactlyElementsOf(b.shards.keySet());
        assertThat(a.shards.size()).isGreaterThan(4);
        for (String name : a.shards.keySet()) {
            assertThat(sha256(a.shards.get(name))).isEqualTo(sha256(b.shards.get(name)));
            byte[] g = a.shards.get(name);
            assertThat(new byte[] {g[0], g[1], g[4], g[5], g[6], g[7]}).containsExactly(0x1f, 0x8b, 0, 0, 0, 0);
        }
        for (ShardInfo info : a.output.shards()) {
            byte[] bytes = a.shards.get(info.name());
            assertThat(info.sha256()).isEqualTo(sha256(bytes));
            assertThat(info.bytes()).isEqualTo(bytes.length);
            assertThat(info.rows()).isEqualTo(TestRows.records(bytes).size());
        }
        assertThat(a.shards.keySet()).contains("train-00000.jsonl.gz", "validation-00000.jsonl.gz");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("temp shard files are deleted").isEmpty();
        }
    }

    @Test
    void resumingFromAnyCheckpointGivesIdenticalShardsAndStatistics() throws IOException {
        CurationRequest request = request(generated, FenceMode.NORMALIZED, 0.1, 42);
        Run full = run(request, 200);
        assertThat(full.checkpoints).hasSize(full.output.shards().size());
        CurationEngine engine = new CurationEngine(request, 200, dir);
        SplitPlan plan = TestRows.JSON.readValue(TestRows.JSON.writeValueAsBytes(full.plan), SplitPlan.class);
        assertThat(plan).isEqualTo(full.plan);
        for (WriteCheckpoint original : full.checkpoints) {
            byte[] json = TestRows.JSON.writeValueAsBytes(original);
            WriteCheckpoint checkpoint = TestRows.JSON.readValue(json, WriteCheckpoint.class);
            assertThat(checkpoint).isEqualTo(original);
            TestRows.MemorySink sink = new TestRows.MemorySink();
            CurationOutput resumed;
            try (RowSource source = RowSources.open(generated, "auto", "question", "answer")) {
                resumed = engine.write(source, plan, sink, checkpoint, CurationProgress.none());
            }
            assertThat(resumed).isEqualTo(full.output);
            for (ShardInfo s : checkpoint.shards()) {
                assertThat(sink.shards).doesNotContainKey(s.name());
            }
            for (Map.Entry<String, byte[]> e : sink.shards.entrySet()) {
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(full.shards.get(e.getKey()));
            }
            assertThat(sink.shards.size() + checkpoint.shards().size()).isEqualTo(full.shards.size());
        }
    }

    @Test
    void aWorkerThatDiesMidWayResumesFromItsLastCheckpointToTheSameOutput() throws IOException {
        CurationRequest request = request(generated, FenceMode.NORMALIZED, 0.1, 42);
        Run full = run(request, 300);
        CurationEngine engine = new CurationEngine(request, 300, dir);
        // the first worker's sink fails on the 4th shard: the exception surfaces, open temp files are removed
        TestRows.MemorySink firstSink = new TestRows.MemorySink();
        List<WriteCheckpoint> saved = new ArrayList<>();
        ShardSink failing = shard -> {
            if (firstSink.shards.size() == 3) {
                throw new IOException("upload failed");
            }
            firstSink.accept(shard);
        };
        try (RowSource source = RowSources.open(generated, "auto", "question", "answer")) {
            assertThatThrownBy(() -> engine.write(source, full.plan, failing, null, collecting(saved)))
                    .isInstanceOf(IOException.class).hasMessage("upload failed");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("temp shard files are deleted after a failure").isEmpty();
        }
        assertThat(saved).hasSize(3);
        WriteCheckpoint last = saved.get(2);
        TestRows.MemorySink secondSink = new TestRows.MemorySink();
        CurationOutput resumed;
        try (RowSource source = RowSources.open(generated, "auto", "question", "answer")) {
            resumed = engine.write(source, full.plan, secondSink, last, CurationProgress.none());
        }
        assertThat(resumed).isEqualTo(full.output);
        Map<String, byte[]> all = new java.util.LinkedHashMap<>(firstSink.shards);
        all.putAll(secondSink.shards);
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(full.shards.keySet());
        all.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(full.shards.get(name)));
    }

    @Test
    void everyDropReasonIsCounted() throws IOException {
        ByteArrayBuilder in = new ByteArrayBuilder();
        in.line("{\"question\": \"q\", \"answer\": \"```python\\nx = 1\\n```\"}");
        in.line("{\"question\": \"q\", \"answer\": ");
        in.bytes(new byte[] {'{', '"', 'q', (byte) 0xFF, '"', ':', '1', '}', '\n'});
        in.line("{\"question\": \"q\"}");
        in.line("{\"question\": \"q\", \"answer\": 5}");
        in.line("{\"question\": \"q\", \"answer\": \"  \"}");
        in.line("{\"question\": \"q\", \"answer\": \"" + "x".repeat(200) + "\"}");
        in.line("{\"question\": \"q\", \"answer\": \"```bash\\nls\\n```\"}");
        in.line("{\"question\": \"q\", \"answer\": \"```\\nls\\n```\"}");
        in.line("{\"question\": \"q\", \"answer\": \"no code\"}");
        in.line("{\"question\": \"q\", \"answer\": \"lots of words here, many many many\\n```go\\nx\\n```\"}");
        Path f = Files.write(dir.resolve("reasons.jsonl"), in.toByteArray());
        CurationEngine engine = new CurationEngine(request(f, FenceMode.NORMALIZED, 0.05, 1), 10, dir);
        SplitPlan plan;
        try (RowSource source = new dev.mole.orchestrator.curation.internal.JsonlRowSource(Files.newInputStream(f),
                "question", "answer", 150)) {
            plan = engine.plan(source, CurationProgress.none());
        }
        CurationStatistics s = plan.statistics();
        assertThat(s.inputRows()).isEqualTo(11);
        assertThat(s.keptRows()).isEqualTo(1);
        assertThat(s.droppedRows()).isEqualTo(10);
        for (DropReason r : DropReason.values()) {
            assertThat(s.droppedByReason()).as(r.code()).containsEntry(r.code(), 1L);
        }
        assertThat(s.unknownTags()).containsExactly(new CurationStatistics.TagCount("bash", 1));
    }

    @Test
    void strictModeReproducesTheReferenceOnTheSameInput() throws IOException {
        Run normalized = run(request(generated, FenceMode.NORMALIZED, 0.05, 42), 20_000);
        Run strict = run(request(generated, FenceMode.STRICT, 0.05, 42), 20_000);
        CurationStatistics n = normalized.output.statistics();
        CurationStatistics s = strict.output.statistics();
        assertThat(s.fenceMode()).isEqualTo("STRICT");
        // aliases (py, js, golang, ...) are unknown in strict mode: fewer kept, more unknown-language drops
        assertThat(s.keptRows()).isLessThan(n.keptRows());
        assertThat(s.droppedByReason().get("unknown_language"))
                .isGreaterThan(n.droppedByReason().get("unknown_language"));
        assertThat(s.unknownTags()).extracting(CurationStatistics.TagCount::tag).contains("py", "js");
        // c++ and c# become c in strict mode: C is main language more often, C++ never tagged
        assertThat(s.languages().get(0).samples()).isGreaterThan(n.languages().get(0).samples());
        assertThat(s.tagRules()).extracting(CurationStatistics.TagRule::tag).doesNotContain("c++", "py");
        assertThat(n.tagRules()).extracting(CurationStatistics.TagRule::tag).contains("c++", "py", "golang", "cs");
        assertThat(n.unterminatedFences()).isGreaterThan(0);
    }

    @Test
    void planIsSmallAndRejectsAnotherRequest() throws IOException {
        Run a = run(request(generated, FenceMode.NORMALIZED, 0.05, 42), 20_000);
        assertThat(TestRows.JSON.writeValueAsBytes(a.plan).length).isLessThan(20_000);
        CurationEngine otherSeed = new CurationEngine(request(generated, FenceMode.NORMALIZED, 0.05, 43));
        assertThatThrownBy(() -> otherSeed.write(TestRows.of(List.of()), a.plan, new TestRows.MemorySink(), null,
                CurationProgress.none())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inputThatChangedBetweenPassesIsDetected() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(new String[] {"q" + i, "```java\nint x" + i + ";\n```"});
        }
        CurationEngine engine = new CurationEngine(request(Path.of("m.jsonl"), FenceMode.NORMALIZED, 0.1, 1), 10, dir);
        SplitPlan plan = engine.plan(TestRows.of(rows), CurationProgress.none());
        assertThatThrownBy(() -> engine.write(TestRows.of(rows.subList(0, 29)), plan, new TestRows.MemorySink(), null,
                CurationProgress.none())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed between");
    }

    @Test
    void progressIsReportedForBothPasses() throws IOException {
        List<String> phases = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        CurationProgress p = new CurationProgress() {
            @Override
            public void rowsRead(String phase, long n, long bytes) {
                phases.add(phase);
                rows.add(n);
            }

            @Override
            public void shardWritten(WriteCheckpoint checkpoint) {}
        };
        CurationEngine engine = new CurationEngine(request(generated, FenceMode.NORMALIZED, 0.05, 42));
        SplitPlan plan;
        try (RowSource source = RowSources.open(generated, "auto", "question", "answer")) {
            plan = engine.plan(source, p);
        }
        try (RowSource source = RowSources.open(generated, "auto", "question", "answer")) {
            engine.write(source, plan, new TestRows.MemorySink(), null, p);
        }
        assertThat(new HashSet<>(phases)).containsExactlyInAnyOrder("plan", "write");
        assertThat(rows).contains(4_000L);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void line(String s) {
            bytes((s + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
