package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.FenceMode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A hand-written ten-row file (src/test/resources/curation/glaive-sample.jsonl) with exact expected statistics. */
class GlaiveSampleFixtureTest {

    private static CurationStatistics plan(FenceMode mode) throws IOException, URISyntaxException {
        Path file = Path.of(GlaiveSampleFixtureTest.class.getResource("/curation/glaive-sample.jsonl").toURI());
        CurationRequest request = new CurationRequest("fixture", file.toString(), "auto", "question", "answer", mode,
                0.05, 42);
        CurationEngine engine = new CurationEngine(request);
        try (RowSource source = RowSources.open(file, "auto", "question", "answer")) {
            SplitPlan first = engine.plan(source, CurationProgress.none());
            try (RowSource again = RowSources.open(file, "auto", "question", "answer")) {
                assertThat(engine.plan(again, CurationProgress.none())).as("the engine keeps no state").isEqualTo(first);
            }
            return first.statistics();
        }
    }

    private static Map<String, Long> samples(CurationStatistics s) {
        return s.languages().stream().filter(l -> l.samples() > 0)
                .collect(Collectors.toMap(CurationStatistics.LanguageRow::language,
                        CurationStatistics.LanguageRow::samples));
    }

    @Test
    void normalizedKeepsAliases() throws Exception {
        CurationStatistics s = plan(FenceMode.NORMALIZED);
        assertThat(s.inputRows()).isEqualTo(10);
        assertThat(samples(s)).isEqualTo(Map.of("python", 2L, "cpp", 1L, "go", 1L, "csharp", 1L));
        assertThat(s.droppedByReason()).containsEntry("unknown_language", 1L).containsEntry("unlabelled_fence", 1L)
                .containsEntry("no_code_block", 1L).containsEntry("malformed_json", 1L)
                .containsEntry("low_code_share", 1L);
        assertThat(s.unknownTags()).containsExactly(new CurationStatistics.TagCount("bash", 1));
        assertThat(s.tagRules()).extracting(CurationStatistics.TagRule::tag)
                .containsExactly("c#", "c++", "golang", "js", "py", "python");
        assertThat(s.tagRules()).filteredOn(r -> r.tag().equals("js")).singleElement()
                .satisfies(r -> assertThat(r.keptSamples()).isZero());
    }

    @Test
    void strictReadsCppAndCsharpAsCAndDropsAliases() throws Exception {
        CurationStatistics s = plan(FenceMode.STRICT);
        assertThat(samples(s)).isEqualTo(Map.of("python", 1L, "c", 2L));
        assertThat(s.droppedByReason()).containsEntry("unknown_language", 4L);
        assertThat(s.unknownTags()).extracting(CurationStatistics.TagCount::tag)
                .containsExactly("bash", "golang", "js", "py");
    }
}
