package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's finetunes are valid orders that fit the tiny base it generates; the demo itself is run by hand (README). */
class DemoFinetunesTest {
    private static final ObjectRef MANIFEST = ObjectRef.parse("s3://mole/datasets/abc/manifest.json");

    @Test
    void ordersCompareMoleWithAllLangAtEqualRankUnderTwoSeeds() {
        List<FinetuneRequest> requests = DemoFinetunes.orders("abc", "s3://mole/models/tiny").stream()
                .map(o -> o.toRequest(dataset -> MANIFEST)).toList();
        assertThat(requests).extracting(FinetuneRequest::method).containsExactly(TrainingMethod.MOLE, TrainingMethod.ALL_LANG);
        assertThat(requests).extracting(FinetuneRequest::variant).containsExactly("48+16", "64");
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.seeds()).containsExactly(1L, 2L);
            assertThat(r.hyper().maxSteps()).isEqualTo(DemoFinetunes.STEPS);
            assertThat(r.hyper().precision()).isEqualTo("fp32");
        });
    }

    @Test
    void theGeneratedBaseTakesBothAdapterLayoutsAndIsMadeOnce(@TempDir Path home) throws Exception {
        Path base = DemoFinetunes.tinyBase(home.resolve("demo/tiny-base"));
        long written = java.nio.file.Files.getLastModifiedTime(base.resolve("config.json")).toMillis();
        try (LlamaModel m = LlamaModel.load(base)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
        }
        try (LlamaModel m = LlamaModel.load(base)) {
            MoleAdapters.install(m, MoleConfig.single(64));
        }
        Thread.sleep(20);
        assertThat(DemoFinetunes.tinyBase(base)).isEqualTo(base);
        assertThat(java.nio.file.Files.getLastModifiedTime(base.resolve("config.json")).toMillis()).isEqualTo(written);
    }
}
