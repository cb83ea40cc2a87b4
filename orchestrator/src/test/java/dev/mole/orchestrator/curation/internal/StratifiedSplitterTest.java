package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.orchestrator.curation.SplitPlan.LanguageCut;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StratifiedSplitterTest {

    @Test
    void validationCountIsRoundedShareOfEachLanguage() {
        assertThat(StratifiedSplitter.validationCount(0.05, 15_773)).isEqualTo(789);
        assertThat(StratifiedSplitter.validationCount(0.05, 10)).isEqualTo(1); // 0.5 rounds up
        assertThat(StratifiedSplitter.validationCount(0.05, 9)).isZero();
        assertThat(StratifiedSplitter.validationCount(0.0, 1_000)).isZero();
    }

    @Test
    void cutsSelectExactlyTheSmallestHashesWhateverTheInsertionOrder() {
        List<Long> hashes = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 1_003; i++) {
            hashes.add(r.nextLong());
        }
        List<LanguageCut> a = cutsFor(hashes, 0.05);
        Collections.shuffle(hashes, new Random(2));
        List<LanguageCut> b = cutsFor(hashes, 0.05);
        assertThat(a).isEqualTo(b);
        LanguageCut go = a.get(Language.GO.ordinal());
        assertThat(go.keptRows()).isEqualTo(1_003);
        assertThat(go.validationRows()).isEqualTo(50);
        SplitDecider decider = new SplitDecider(a, null);
        long chosen = hashes.stream().filter(h -> decider.isValidation(Language.GO, h)).count();
        assertThat(chosen).isEqualTo(50);
        assertThat(a.get(Language.C.ordinal()).validationRows()).isZero();
    }

    @Test
    void tiesAtTheThresholdAreTakenInInputOrder() {
        // 20 rows, share 0.25 -> 5 validation rows; hashes: 3 small, then 4 equal to 7
        List<Long> hashes = new ArrayList<>(List.of(1L, 2L, 3L, 7L, 7L, 7L, 7L));
        for (int i = 0; i < 13; i++) {
            hashes.add(100L + i);
        }
        List<LanguageCut> cuts = cutsFor(hashes, 0.25);
        LanguageCut cut = cuts.get(Language.GO.ordinal());
        assertThat(cut.thresholdHash()).isEqualTo(7L);
        assertThat(cut.tiesAtThreshold()).isEqualTo(2);
        SplitDecider decider = new SplitDecider(cuts, null);
        List<Boolean> picks = hashes.stream().map(h -> decider.isValidation(Language.GO, h)).toList();
        assertThat(picks.subList(0, 7)).containsExactly(true, true, true, true, true, false, false);
        // a resumed decider that already gave one tie slot away gives only one more
        SplitDecider resumed = new SplitDecider(cuts, Map.of("go", 1L));
        assertThat(resumed.isValidation(Language.GO, 7L)).isTrue();
        assertThat(resumed.isValidation(Language.GO, 7L)).isFalse();
    }

    @Test
    void hashDependsOnSeedIndexAndContent() {
        long h = SplitHasher.hash(42, 5, "q", "a");
        assertThat(SplitHasher.hash(42, 5, "q", "a")).isEqualTo(h);
        assertThat(SplitHasher.hash(43, 5, "q", "a")).isNotEqualTo(h);
        assertThat(SplitHasher.hash(42, 6, "q", "a")).isNotEqualTo(h);
        assertThat(SplitHasher.hash(42, 5, "q", "b")).isNotEqualTo(h);
    }

    private static List<LanguageCut> cutsFor(List<Long> goHashes, double share) {
        StratifiedSplitter s = new StratifiedSplitter();
        goHashes.forEach(h -> s.add(Language.GO, h));
        return s.cuts(share);
    }
}
