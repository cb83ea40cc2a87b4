package dev.mole.orchestrator.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ArmSeedFailure;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentEvaluation;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.TestStacks;
import dev.mole.orchestrator.activities.ExperimentActivitiesImpl;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.experiment.ExperimentCatalog.ArmSeedRow;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeScoring;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeSvd;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeTraining;
import dev.mole.orchestrator.experiment.ExperimentFakes.ScoredEvaluation;
import dev.mole.orchestrator.workers.CpuWorker;
import dev.mole.orchestrator.workflows.ArmSeedWorkflowImpl;
import dev.mole.orchestrator.workflows.ExperimentWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment's workflows, activities and catalog for real (embedded PostgreSQL, the S3 server, the Temporal server),
 * with the GPU work and the evaluation stage as fakes: the chain's order and fan-out, reuse of finished results, a
 * failing seed that stops nothing else and is retried alone, cancellation within a heartbeat, and the preflight. The
 * histories replay against the current code, one of them committed as a test resource.
 */
@Tag("stack")
class ExperimentWorkflowTest {
    /** Set to write the committed history again (only when the workflow changes on purpose, with a version marker). */
    static final boolean WRITE_HISTORY = Boolean.getBoolean("mole.write-histories");
    static final Path COMMITTED = Path.of("src/test/resources/histories/experiment-v1.json");
    /** The committed history's workflow id: the experiment id is part of every child's id, so the replay needs it. */
    static final String COMMITTED_ID = "experiment-e5b13f1a46911969b387";

    @TempDir
    static Path home;
    static LocalPlatform local;
    static ExperimentService service;
    static ExperimentCatalog catalog;
    static final ObjectRef BASE = ExperimentFakes.BASE;
    static final ObjectRef DATASET = ExperimentFakes.DATASET;

    WorkerFactory workers;
    FakeTraining training;
    FakeSvd svd;
    FakeScoring scoring;

    @BeforeAll
    static void startPlatform() {
        local = LocalPlatform.start(TestStacks.isolated(home), WorkflowImplementationOptions.getDefaultInstance(), false);
        BlobStore store = local.platform().blobStore();
        ExperimentFakes.putInputs(store);
        service = new ExperimentService(local.platform().workflowClient(), store, local.platform().dataSource());
        catalog = service.catalog();
    }

    @AfterAll
    static void stopPlatform() {
        if (local != null) local.close();
    }

    @BeforeEach
    void startWorkers() {
        training = new FakeTraining();
        svd = new FakeSvd();
        scoring = new FakeScoring(new EvaluationCatalog(local.platform().dataSource()));
        workers = ExperimentFakes.workers(local, training, svd, scoring);
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    static final ExperimentArm MOLE = ExperimentArm.of(TrainingMethod.MOLE, "48+16");
    static final ExperimentArm ALL_LANG = ExperimentArm.of(TrainingMethod.ALL_LANG, "64");
    static final ExperimentArm NO_FT = ExperimentArm.of(TrainingMethod.NO_FT, null);

    static ExperimentEvaluation evaluation() {
        return new ExperimentEvaluation(List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS),
                List.of(Language.PYTHON, Language.RUST), List.of(), 2, null, null, true, null, 32);
    }

    static ExperimentRequest request(List<ExperimentArm> arms, List<Long> seeds) {
        return new ExperimentRequest("t", DATASET, null, BASE, arms, seeds, evaluation(), null);
    }

    @Test
    void everyArmAndSeedTrainsFromOneSvdPerKThenIsEvaluatedAndASecondStartReusesEverything() throws Exception {
        ExperimentRequest r = request(List.of(MOLE, ALL_LANG, NO_FT), List.of(1L, 2L));
        String id = service.start(r);
        ExperimentSummary s = service.await(id, Duration.ofMinutes(2));

        assertThat(s.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(s.results()).extracting(a -> a.arm() + "/" + a.seed())
                .containsExactlyInAnyOrder("mole-48+16/1", "mole-48+16/2", "all_lang-64/1", "all_lang-64/2", "no_ft/1");
        assertThat(svd.requests).as("MoLE-48+16 and AllLang r64 share one top-64 SVD").hasSize(1);
        assertThat(svd.requests.get(0).rank()).isEqualTo(64);
        assertThat(training.requests).hasSize(4).allSatisfy(t -> {
            assertThat(t.svdFactors().uri()).isEqualTo("s3://mole/svd/k64/manifest.json");
            assertThat(t.output().key()).startsWith("experiments/" + id + "/");
        });
        assertThat(training.requests).extracting(TrainingRequest::method).doesNotContain(TrainingMethod.NO_FT);
        Map<String, EvaluationRequest> evaluated = scoring.requests.stream()
                .collect(Collectors.toMap(EvaluationRequest::name, e -> e));
        assertThat(evaluated).hasSize(5);
        assertThat(evaluated.get(id + "/no_ft/seed-1").adapters()).as("No-FT evaluates the base alone").isNull();
        assertThat(evaluated.get(id + "/mole-48+16/seed-2").adapters().key())
                .isEqualTo("experiments/" + id + "/mole-48+16/seed-2/manifest.json");
        assertThat(evaluated.get(id + "/mole-48+16/seed-2").specialisation()).isTrue();
        assertThat(evaluated.get(id + "/all_lang-64/seed-2").specialisation()).as("no experts to force").isFalse();

        assertThat(catalog.find(id).orElseThrow().status()).isEqualTo(ExperimentStatus.COMPLETED);
        List<ArmSeedRow> rows = catalog.armSeeds(id);
        assertThat(rows).hasSize(5).allSatisfy(row -> {
            assertThat(row.state()).isEqualTo("COMPLETED");
            assertThat(row.evaluationId()).isNotNull();
        });
        assertThat(rows).filteredOn(row -> !row.method().equals("NO_FT"))
                .allSatisfy(row -> assertThat(row.registeredAt()).as("adapters registered").isNotNull());
        assertThat(catalog.stages(id)).extracting(ExperimentCatalog.StageRow::stage, ExperimentCatalog.StageRow::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("svd:64", "COMPLETED"));

        var history = local.platform().workflowClient().fetchHistory(id);
        WorkflowReplayer.replayWorkflowExecution(history, ExperimentWorkflowImpl.class);
        WorkflowReplayer.replayWorkflowExecution(local.platform().workflowClient()
                .fetchHistory(ArmSeedWorkflowImpl.workflowId(id, "mole-48+16", 1)), ArmSeedWorkflowImpl.class);
        if (WRITE_HISTORY) {
            Files.writeString(COMMITTED, history.toJson(true), StandardCharsets.UTF_8);
        }

        assertThat(service.start(r)).as("the same request is the same experiment").isEqualTo(id);
        ExperimentSummary again = service.await(id, Duration.ofMinutes(1));
        assertThat(again.results()).hasSize(5);
        assertThat(again.results()).extracting(a -> java.util.Set.copyOf(a.evaluation().scores()))
                .containsExactlyInAnyOrderElementsOf(s.results().stream().map(a -> java.util.Set.copyOf(a.evaluation().scores())).toList());
        assertThat(training.requests).as("nothing trained again").hasSize(4);
        assertThat(scoring.requests).as("nothing evaluated again").hasSize(5);
        assertThat(svd.requests).hasSize(2); // the SVD stage asks again; the store answers at once (not trained again)
    }

    @Test
    void aFailingSeedStopsNothingElseAndIsRetriedAlone() throws Exception {
        training.fail.add("all_lang-64/seed-4");
        String id = service.start(request(List.of(MOLE, ALL_LANG), List.of(3L, 4L)));
        ExperimentSummary s = service.await(id, Duration.ofMinutes(2));

        assertThat(s.status()).isEqualTo(ExperimentStatus.PARTIAL);
        assertThat(s.results()).hasSize(3);
        assertThat(s.failures()).containsExactly(new ArmSeedFailure("all_lang-64", 4, "training",
                "training: dataset has no rust rows for this arm"));
        var row = catalog.armSeeds(id).stream().filter(a -> a.arm().equals("all_lang-64") && a.seed() == 4).findFirst().orElseThrow();
        assertThat(row.state()).isEqualTo("FAILED");
        assertThat(row.error()).isEqualTo("training: dataset has no rust rows for this arm");
        assertThat(catalog.find(id).orElseThrow().error()).contains("all_lang-64 seed 4");
        WorkflowReplayer.replayWorkflowExecution(local.platform().workflowClient().fetchHistory(id), ExperimentWorkflowImpl.class);

        training.fail.clear();
        service.retry(id);
        ExperimentSummary retried = service.await(id, Duration.ofMinutes(2));
        assertThat(retried.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(retried.results()).hasSize(4);
        assertThat(training.requests).as("only the failed arm and seed trained again").hasSize(5);
        assertThat(training.requests.get(4).seed()).isEqualTo(4);
        assertThat(FakeTraining.armOf(training.requests.get(4))).isEqualTo("all_lang-64");
        assertThat(catalog.armSeeds(id)).allSatisfy(a -> assertThat(a.state()).isEqualTo("COMPLETED"));
    }

    @Test
    void cancelStopsTrainingWithinAHeartbeatAndKeepsFinishedResults() throws Exception {
        training.blockArms.add("mole-48+16");
        String id = service.start(request(List.of(MOLE, NO_FT), List.of(5L)));
        assertThat(training.blocking.await(1, TimeUnit.MINUTES)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (catalog.armSeeds(id).stream().noneMatch(a -> a.arm().equals("no_ft") && a.state().equals("COMPLETED"))) {
            assertThat(System.nanoTime()).as("No-FT finished").isLessThan(deadline);
            Thread.sleep(50);
        }
        long cancelledAt = System.nanoTime();
        service.cancel(id);
        assertThatThrownBy(() -> service.await(id, Duration.ofMinutes(1)))
                .isInstanceOf(ExperimentService.ExperimentFailedException.class);

        assertThat(training.cancelSeenAtNanos).as("the training activity saw the cancellation").isPositive();
        assertThat(Duration.ofNanos(training.cancelSeenAtNanos - cancelledAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(catalog.find(id).orElseThrow().status()).isEqualTo(ExperimentStatus.CANCELLED);
        assertThat(catalog.armSeeds(id)).extracting(ArmSeedRow::arm, ArmSeedRow::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("mole-48+16", "CANCELLED"),
                org.assertj.core.groups.Tuple.tuple("no_ft", "COMPLETED"));
        assertThatThrownBy(() -> service.cancel(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not running (CANCELLED)");
        WorkflowReplayer.replayWorkflowExecution(local.platform().workflowClient().fetchHistory(id), ExperimentWorkflowImpl.class);
    }

    @Test
    void badInputIsRefusedBeforeAnythingStarts() {
        ExperimentRequest noBase = new ExperimentRequest("t", DATASET, null, new ObjectRef("mole", "models/none"),
                List.of(MOLE), List.of(9L), evaluation(), null);
        assertThatThrownBy(() -> service.start(noBase)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base model s3://mole/models/none has no config.json");
        ExperimentRequest noDataset = new ExperimentRequest("t", new ObjectRef("mole", "datasets/none/manifest.json"), null,
                BASE, List.of(MOLE), List.of(9L), evaluation(), null);
        assertThatThrownBy(() -> service.start(noDataset)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
        assertThat(catalog.list(100)).extracting(ExperimentCatalog.ExperimentRow::experimentId)
                .doesNotContain(ExperimentIds.of(noBase), ExperimentIds.of(noDataset));
        assertThat(training.requests).isEmpty();

        assertThatThrownBy(() -> request(List.of(MOLE, MOLE), List.of(1L))).hasMessageContaining("two arms are named 'mole-48+16'");
        assertThatThrownBy(() -> ExperimentArm.of(TrainingMethod.MOLE, "48-16")).hasMessageContaining("shared+expert");
        assertThatThrownBy(() -> new ExperimentEvaluation(List.of(TaskKind.TRANSLATION), List.of(), List.of(), 0, null, null,
                false, null, 0)).hasMessageContaining("no pair");
        assertThatThrownBy(() -> new ExperimentRequest("t", DATASET, dev.mole.contracts.curation.CurationRequest.of("/x"),
                BASE, List.of(MOLE), null, evaluation(), null)).hasMessageContaining("not both");
    }

    @Test
    void theCommittedHistoryStillReplays() throws Exception {
        // The replayer allows a workflow thread 1 s between yields. A cold JVM builds Jackson's serializers for these
        // types inside that second; on a loaded machine that alone can exceed it, so they are built first.
        var converter = io.temporal.common.converter.GlobalDataConverter.get();
        ExperimentRequest r = request(List.of(MOLE, NO_FT), List.of(1L));
        var result = new dev.mole.contracts.experiment.ArmSeedResult("a", 1, new dev.mole.contracts.training.TrainingResult(
                DATASET, 1, 0, 0.5, Map.of("all", 1.0), Map.of(), Map.of()),
                new dev.mole.contracts.evaluation.EvaluationSummary("e", "n", false, List.of(), DATASET));
        converter.fromPayload(converter.toPayload(r).orElseThrow(), ExperimentRequest.class, ExperimentRequest.class);
        converter.fromPayload(converter.toPayload(result).orElseThrow(), dev.mole.contracts.experiment.ArmSeedResult.class,
                dev.mole.contracts.experiment.ArmSeedResult.class);
        converter.toPayload(new dev.mole.contracts.experiment.ArmSeedRequest("x", MOLE, 1, DATASET, BASE, "randomized", null,
                evaluation()));
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(Files.readString(COMMITTED, StandardCharsets.UTF_8), COMMITTED_ID),
                ExperimentWorkflowImpl.class);
    }
}
