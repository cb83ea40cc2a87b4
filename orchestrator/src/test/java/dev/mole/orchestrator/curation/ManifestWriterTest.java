package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.curation.CurationRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestWriterTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void manifestIsCanonicalSortedAndNamesEveryShardHash() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new String[] {"q" + i, "```rust\nlet x = " + i + ";\n```"});
        }
        CurationRequest request = CurationRequest.of("s3://bucket/in.jsonl");
        CurationEngine engine = new CurationEngine(request, 20, dir);
        SplitPlan plan = engine.plan(TestRows.of(rows), CurationProgress.none());
        CurationOutput out = engine.write(TestRows.of(rows), plan, new TestRows.MemorySink(), null,
                CurationProgress.none());

        byte[] a = ManifestWriter.manifestJson("ds-1", request, out);
        byte[] b = ManifestWriter.manifestJson("ds-1", request, out);
        assertThat(a).isEqualTo(b);
        String text = new String(a, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n");
        JsonNode m = TestRows.JSON.readTree(a);
        assertSorted(m);
        assertThat(m.get("datasetId").asText()).isEqualTo("ds-1");
        assertThat(m.get("engineVersion").asText()).isEqualTo(CurationEngine.VERSION);
        assertThat(m.get("request").get("fenceMode").asText()).isEqualTo("NORMALIZED");
        assertThat(m.get("shards")).hasSize(out.shards().size());
        for (int i = 0; i < out.shards().size(); i++) {
            assertThat(m.get("shards").get(i).get("sha256").asText()).isEqualTo(out.shards().get(i).sha256());
        }
        assertThat(m.get("statistics").get("droppedByReason").get("low_code_share").asLong()).isZero();
        assertThat(m.get("statistics").get("languages").get(7).get("displayName").asText()).isEqualTo("Rust");
    }

    private static void assertSorted(JsonNode node) {
        if (node.isObject()) {
            String previous = "";
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                assertThat(name).isGreaterThan(previous);
                previous = name;
                assertSorted(node.get(name));
            }
        } else if (node.isArray()) {
            node.forEach(ManifestWriterTest::assertSorted);
        }
    }
}
