package dev.mole.deploy;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentEvaluation;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.experiment.ExperimentComparisons;
import dev.mole.orchestrator.platform.Platform;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The demo as one experiment, after its curation: MoLE-48+16 and AllLang-FT r64 (equal total rank, one shared SVD) under
 * two seeds on the tiny generated base, each trained for {@link DemoFinetunes#STEPS} steps and evaluated on a small
 * HumanEvalPack subset (Python synthesis, the first {@value #TASKS} tasks), then the comparison table. The numbers say
 * nothing about real models. The request is the same on every start, so a second start answers from the recorded
 * results (the experiment id is derived from the request).
 */
final class DemoExperiment {
    static final int TASKS = 8;

    private DemoExperiment() {}

    static ExperimentRequest request(ObjectRef dataset, ObjectRef base) {
        // the demo finetunes' settings: batch 8 of at most 256 tokens, validation and checkpoints at 12 and 24
        TrainingHyperParameters hyper = TrainingHyperParameters.paper().withLearningRate(2e-3).withBatch(8, 1)
                .withMaxLength(256).withIntervals(12, 12).withMaxSteps(DemoFinetunes.STEPS);
        return new ExperimentRequest("demo", dataset, null, base,
                List.of(new ExperimentArm(null, TrainingMethod.MOLE, "48+16", null, hyper),
                        new ExperimentArm(null, TrainingMethod.ALL_LANG, "64", null, hyper)),
                DemoFinetunes.SEEDS,
                new ExperimentEvaluation(List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON), List.of(), TASKS, null, null,
                        false, null, 64), null);
    }

    static void run(PlatformSettings settings, Platform platform, String datasetManifest, String consoleUrl, PrintStream out)
            throws TimeoutException {
        BaseCheckpointUpload upload = BaseCheckpointUpload.plan(DemoFinetunes.tinyBase(settings.home().resolve("demo/tiny-base")),
                platform.bucket());
        upload.run(platform.blobStore(), out);
        ExperimentService experiments = new ExperimentService(platform.workflowClient(), platform.blobStore(), platform.dataSource());
        ExperimentRequest request = request(ObjectRef.parse(datasetManifest), upload.folder());
        long t0 = System.nanoTime();
        String id = experiments.start(request);
        out.println("Demo experiment " + id + " (MoLE-48+16 and AllLang-FT r64, seeds " + request.seeds()
                + "); follow it with ./mole experiment status " + id + " or " + consoleUrl + "/api/experiments/" + id);
        ExperimentSummary summary = experiments.await(id, Duration.ofHours(2));
        out.printf("Demo experiment %s in %.0f s%n", summary.status(), (System.nanoTime() - t0) / 1e9);
        out.print(ExperimentTable.comparison(new ExperimentComparisons(platform.dataSource(), platform.blobStore())
                .compare(id).orElseThrow()));
        out.println("The same table: ./mole experiment compare " + id + " (or --json), and " + consoleUrl
                + "/api/experiments/" + id + "/comparison");
    }
}
