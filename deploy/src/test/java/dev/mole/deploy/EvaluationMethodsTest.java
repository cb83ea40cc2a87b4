package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every training method's output evaluates through the same stage: MoLE (with the forced-routing matrix), AllLang-FT,
 * PerLang-FT (each language's samples on its own LoRA) and Full-FT, each trained for two steps on a tiny base.
 */
@Tag("sandbox")
@Tag("stack")
class EvaluationMethodsTest {
    @TempDir
    Path dir;

    @Test
    void everyMethodsOutputIsEvaluated() throws Exception {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(dir.resolve("home"))
                .withCurationInputRoots(java.util.List.of(dir)).withPorts(0, 0, 0, 0);
        try (LocalPlatform local = LocalPlatform.start(settings); LocalWorkers workers = LocalWorkers.start(local.platform(), settings)) {
            var platform = local.platform();
            Path rows = dir.resolve("rows.jsonl");
            new GlaiveLikeGenerator(4L).write(rows, 300);
            CurationService curation = new CurationService(platform.workflowClient());
            DatasetSummary dataset = curation.await(curation.start(CurationRequest.of(rows.toString())), Duration.ofMinutes(3));
            ObjectRef base = TinyBase.upload(platform.blobStore(), platform.bucket(), dir.resolve("tiny"), TinyCheckpointFactory.Options.defaults());
            TrainingHyperParameters hyper = TrainingHyperParameters.paper().withBatch(4, 1).withMaxLength(256)
                    .withIntervals(0, 0).withMaxSteps(2);
            FinetuneService finetunes = new FinetuneService(platform.workflowClient());
            EvaluationService evaluations = new EvaluationService(platform.workflowClient(), platform.blobStore());
            List<Language> langs = List.of(Language.PYTHON, Language.GO);
            for (TrainingMethod method : List.of(TrainingMethod.MOLE, TrainingMethod.ALL_LANG, TrainingMethod.PER_LANG, TrainingMethod.FULL_FT)) {
                FinetuneSummary trained = finetunes.await(finetunes.start(new FinetuneRequest(method.name(), method, null, null,
                        List.of(1L), hyper, ObjectRef.parse(dataset.manifestUri()), base)), Duration.ofMinutes(5));
                boolean mole = method == TrainingMethod.MOLE;
                EvaluationSummary s = evaluations.await(evaluations.start(new EvaluationRequest(method.name(), base,
                        trained.seeds().get(0).result().outputManifest(), List.of(TaskKind.SYNTHESIS), langs, List.of(), 1,
                        null, null, mole, null, 6, null)), Duration.ofMinutes(10));
                List<Score> auto = s.scores().stream().filter(x -> x.routing().equals("auto")).toList();
                assertThat(auto).as(method.name()).extracting(Score::language).containsExactlyInAnyOrderElementsOf(langs);
                assertThat(auto).allSatisfy(x -> assertThat(x.total()).isEqualTo(1));
                if (mole) {
                    // every language's synthesis under each of the eight experts and NL only
                    assertThat(s.scores().stream().filter(x -> x.routing().startsWith("forced:"))).hasSize(2 * 9);
                    List<SampleRecord> forcedNl = EvaluationEndToEndTest.read(platform.blobStore(), s.samples()).stream()
                            .filter(x -> x.routing().equals("forced:nl")).toList();
                    assertThat(forcedNl).hasSize(2).allSatisfy(x -> assertThat(x.routes()).containsOnly("nl"));
                }
            }
        }
    }
}
