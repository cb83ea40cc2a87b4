package dev.mole.orchestrator.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.TestStacks;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeScoring;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeSvd;
import dev.mole.orchestrator.experiment.ExperimentFakes.FakeTraining;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform stops mid-training (its embedded Temporal server, and with it every workflow history, is gone). The next
 * start resumes the experiment from its own records: the arm and seed that had finished is not run again, the one that
 * was training is trained again with the same request (so the same checkpoint folder), and the experiment completes.
 */
@Tag("stack")
class ExperimentResumeTest {
    @TempDir
    Path home;

    @Test
    void theNextStartResumesEveryUnfinishedExperimentAndSkipsWhatFinished() throws Exception {
        ExperimentRequest request = new ExperimentRequest("resume", ExperimentFakes.DATASET, null, ExperimentFakes.BASE,
                List.of(ExperimentArm.of(TrainingMethod.MOLE, "48+16"), ExperimentArm.of(TrainingMethod.ALL_LANG, "64")),
                List.of(1L), ExperimentWorkflowTest.evaluation(), null);
        String id;
        FakeTraining first = new FakeTraining();
        first.blockArms.add("all_lang-64");
        try (LocalPlatform one = start()) {
            ExperimentFakes.putInputs(one.platform().blobStore());
            WorkerFactory workers = ExperimentFakes.workers(one, first, new FakeSvd(),
                    new FakeScoring(new EvaluationCatalog(one.platform().dataSource())));
            try {
                id = new ExperimentService(one.platform().workflowClient(), one.platform().blobStore(),
                        one.platform().dataSource()).start(request);
                ExperimentCatalog catalog = new ExperimentCatalog(one.platform().dataSource());
                assertThat(first.blocking.await(1, TimeUnit.MINUTES)).isTrue();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (catalog.armSeeds(id).stream().noneMatch(a -> a.arm().equals("mole-48+16") && a.state().equals("COMPLETED"))) {
                    assertThat(System.nanoTime()).as("MoLE finished").isLessThan(deadline);
                    Thread.sleep(50);
                }
            } finally {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
        } // the whole platform stops here, all-lang still training

        FakeTraining second = new FakeTraining();
        FakeScoring scoring;
        try (LocalPlatform two = start()) {
            scoring = new FakeScoring(new EvaluationCatalog(two.platform().dataSource()));
            WorkerFactory workers = ExperimentFakes.workers(two, second, new FakeSvd(), scoring);
            try {
                ExperimentService service = new ExperimentService(two.platform().workflowClient(), two.platform().blobStore(),
                        two.platform().dataSource());
                ExperimentSummary s = service.await(id, Duration.ofMinutes(2));
                assertThat(s.status()).isEqualTo(ExperimentStatus.COMPLETED);
                assertThat(s.results()).extracting(r -> r.arm()).containsExactlyInAnyOrder("mole-48+16", "all_lang-64");
                assertThat(second.requests).as("only the unfinished arm trained again").hasSize(1);
                assertThat(second.requests.get(0)).as("the same request: the same checkpoint folder to resume from")
                        .isEqualTo(first.requests.stream().filter(r -> FakeTraining.armOf(r).equals("all_lang-64")).findFirst().orElseThrow());
                assertThat(scoring.requests).hasSize(1);
                assertThat(service.catalog().find(id).orElseThrow().status()).isEqualTo(ExperimentStatus.COMPLETED);
            } finally {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private LocalPlatform start() {
        return LocalPlatform.start(TestStacks.isolated(home), WorkflowImplementationOptions.getDefaultInstance(), false);
    }
}
