package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.training.TrainingWorker;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain on the real embedded stack: curate generated rows, then finetune MoLE under two seeds on a GPU-queue worker
 * (CPU device) from a tiny base checkpoint in the object store. Proves the stages agree on the data they hand over.
 */
@Tag("stack")
class PipelineEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void curatedDataFinetunesUnderTwoSeeds() throws Exception {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(dir.resolve("home"))
                .withCurationInputRoots(java.util.List.of(dir))
                .withPorts(0, 0, 0, 0);
        try (LocalPlatform local = LocalPlatform.start(settings)) {
            var platform = local.platform();
            WorkerFactory gpu = WorkerFactory.newInstance(platform.workflowClient());
            TrainingWorker.register(gpu, platform.blobStore(), dir.resolve("gpu-work"), ModelOptions.defaults());
            gpu.start();
            try {
                Path input = dir.resolve("rows.jsonl");
                new GlaiveLikeGenerator(9L).write(input, 400);
                DatasetSummary dataset = new CurationService(platform.workflowClient())
                        .await(new CurationService(platform.workflowClient()).start(CurationRequest.of(input.toString())),
                                Duration.ofMinutes(3));

                ObjectRef baseRef = TinyBase.upload(platform.blobStore(), platform.bucket(), dir.resolve("tiny"), TinyCheckpointFactory.Options.defaults());
                TrainingHyperParameters hyper = TrainingHyperParameters.paper().withLearningRate(3e-3).withBatch(4, 1)
                        .withMaxLength(256).withIntervals(0, 2).withMaxSteps(4);
                FinetuneService finetune = new FinetuneService(platform.workflowClient());
                String runId = finetune.start(new FinetuneRequest("chain", TrainingMethod.MOLE, "48+16", null,
                        List.of(1L, 2L), hyper, ObjectRef.parse(dataset.manifestUri()), baseRef));
                FinetuneSummary summary = finetune.await(runId, Duration.ofMinutes(10));

                assertThat(summary.seeds()).hasSize(2);
                for (FinetuneSummary.SeedResult seed : summary.seeds()) {
                    assertThat(seed.result().steps()).isEqualTo(4);
                    JsonNode manifest = new ObjectMapper().readTree(platform.blobStore().read(seed.result().outputManifest()));
                    assertThat(manifest.toString()).contains(dataset.datasetId());
                    assertThat(seed.result().outputManifest().key()).startsWith("runs/" + runId + "/seed-" + seed.seed());
                }
                assertThat(summary.validationLoss()).containsKey("all");
                assertThat(summary.validationLoss().get("all").n()).isEqualTo(2);
                FinetuneCatalog catalog = new FinetuneCatalog(platform.dataSource());
                assertThat(catalog.find(runId).orElseThrow().status()).isEqualTo("COMPLETED");
                assertThat(catalog.seeds(runId)).hasSize(2);
            } finally {
                gpu.shutdown();
                gpu.awaitTermination(20, TimeUnit.SECONDS);
            }
        }
    }
}
