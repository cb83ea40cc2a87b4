package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.curation.CurationRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GlaiveLikeGeneratorTest {

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        assertThat(bytes(3, 500)).isEqualTo(bytes(3, 500));
        assertThat(bytes(3, 500)).isNotEqualTo(bytes(4, 500));
    }

    private static byte[] bytes(long seed, int rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GlaiveLikeGenerator(seed).withMalformedShare(0.02).write(out, rows);
        return out.toByteArray();
    }

    @Test
    void mixCoversEveryLanguageAndEveryReasonTheEngineCounts() throws IOException {
        byte[] data = bytes(11, 3_000);
        CurationEngine engine = new CurationEngine(CurationRequest.of("gen.jsonl"));
        SplitPlan plan = engine.plan(RowSources.jsonl(new java.io.ByteArrayInputStream(data), "question", "answer"),
                CurationProgress.none());
        CurationStatistics s = plan.statistics();
        assertThat(s.inputRows()).isEqualTo(3_000);
        assertThat(s.languages()).allSatisfy(l -> assertThat(l.samples()).as(l.language()).isPositive());
        for (String reason : new String[] {"malformed_json", "invalid_utf8", "missing_field", "non_string_field",
            "empty_field", "unknown_language", "unlabelled_fence", "no_code_block", "low_code_share"}) {
            assertThat(s.droppedByReason().get(reason)).as(reason).isPositive();
        }
        // most rows survive, as in the paper's data after its filter
        assertThat(s.keptRows()).isBetween(1_800L, 2_600L);
    }
}
