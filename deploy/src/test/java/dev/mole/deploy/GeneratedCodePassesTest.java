package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.evaluation.EvalPrompt;
import dev.mole.evaluation.EvalPrompts;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.LocalPlatform;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
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
 * A pipeline check, not a result: a random tiny model passes nothing, so this finetunes one through the platform on a
 * few HumanEvalPack tasks' canonical answers (in the training template, answers begun the way evaluation prompts begin
 * them) until it reproduces them, then evaluates those tasks through the real generation path. Pass@1 must be above 0,
 * and every pass must be a program the model generated: the sandbox ran the model's own tokens.
 */
@Tag("sandbox")
@Tag("stack")
class GeneratedCodePassesTest {
    static final int TASKS = 3;

    @TempDir
    Path dir;

    @Test
    void aModelTrainedOnCanonicalAnswersPassesThroughTheRealGenerationPath() throws Exception {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(dir.resolve("home"))
                .withCurationInputRoots(java.util.List.of(dir)).withPorts(0, 0, 0, 0);
        try (LocalPlatform local = LocalPlatform.start(settings); LocalWorkers workers = LocalWorkers.start(local.platform(), settings)) {
            var platform = local.platform();
            Path rows = dir.resolve("canonical.jsonl");
            ObjectMapper json = new ObjectMapper();
            List<HumanEvalTask> tasks = HumanEvalPack.load(Language.PYTHON).subList(0, TASKS);
            try (BufferedWriter w = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
                for (int copy = 0; copy < 12; copy++) {
                    for (HumanEvalTask t : tasks) {
                        EvalPrompt p = EvalPrompts.synthesis(t);
                        // the prompt's code start ends where its text does, minus trailing blanks (as upstream strips
                        // prompts); a model continues it with what the original text had there: a newline, then the body
                        String blanks = t.prompt().substring(t.prompt().stripTrailing().length());
                        String answer = p.responsePrefix() + blanks + t.canonicalSolution() + "```";
                        w.write(json.writeValueAsString(Map.of("question", p.instruction(), "answer", answer)));
                        w.newLine();
                    }
                }
            }
            CurationService curation = new CurationService(platform.workflowClient());
            DatasetSummary dataset = curation.await(curation.start(CurationRequest.of(rows.toString())), Duration.ofMinutes(3));
            assertThat(dataset.keptRows()).as("every canonical row is kept by curation").isEqualTo(12L * TASKS);

            ObjectRef base = TinyBase.upload(platform.blobStore(), platform.bucket(), dir.resolve("tiny"), TinyCheckpointFactory.Options.defaults().withSize(128, 2, 352));
            TrainingHyperParameters hyper = TrainingHyperParameters.paper().withLearningRate(3e-3).withBatch(TASKS, 1000)
                    .withMaxLength(2048).withIntervals(0, 0).withMaxSteps(240);
            FinetuneService finetunes = new FinetuneService(platform.workflowClient());
            FinetuneSummary trained = finetunes.await(finetunes.start(new FinetuneRequest("canonical", TrainingMethod.FULL_FT,
                    null, null, List.of(1L), hyper, ObjectRef.parse(dataset.manifestUri()), base)), Duration.ofMinutes(10));

            EvaluationService evaluations = new EvaluationService(platform.workflowClient(), platform.blobStore());
            EvaluationSummary s = evaluations.await(evaluations.start(new EvaluationRequest("canonical-trained", base,
                    trained.seeds().get(0).result().outputManifest(), List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON),
                    List.of(), TASKS, null, null, false, null, 256, null)), Duration.ofMinutes(10));

            List<SampleRecord> samples = EvaluationEndToEndTest.read(platform.blobStore(), s.samples());
            for (SampleRecord x : samples) {
                System.out.printf("%s %s: %s | %s%n--- program%n%s%n--- output%n%s%n", x.sampleId(), x.verdict(), x.reason(),
                        x.completion(), x.program(), x.output());
            }
            List<SampleRecord> passed = samples.stream().filter(x -> x.verdict() == SandboxVerdict.PASS).toList();
            System.out.printf("pipeline check: %d of %d tasks passed with generated code (final training loss %.4f)%n",
                    passed.size(), samples.size(), trained.seeds().get(0).result().finalTrainLoss());
            assertThat(s.scores()).singleElement().satisfies(score -> assertThat(score.passAt1()).as("Pass@1").isGreaterThan(0));
            assertThat(passed).isNotEmpty().allSatisfy(x -> {
                assertThat(x.stop()).as(x.sampleId()).isNotEqualTo("ORACLE");
                assertThat(x.pieces()).as("generated tokens of " + x.sampleId()).isNotEmpty();
                assertThat(String.join("", x.pieces())).isEqualTo(x.generation());
                assertThat(x.generation()).startsWith(x.completion());
                assertThat(x.completion().strip()).as("a body the model wrote").isNotEmpty();
                assertThat(x.program()).contains(x.completion());
                assertThat(x.routes()).as("generated as Python code").contains("python");
            });
        }
    }
}
