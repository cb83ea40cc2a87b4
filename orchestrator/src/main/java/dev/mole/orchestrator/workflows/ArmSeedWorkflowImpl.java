package dev.mole.orchestrator.workflows;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.EvaluationWorkflow;
import dev.mole.contracts.experiment.ArmSeedRequest;
import dev.mole.contracts.experiment.ArmSeedResult;
import dev.mole.contracts.experiment.ArmSeedWorkflow;
import dev.mole.contracts.experiment.ExperimentActivities;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Train on the GPU queue (the same request, and so the same checkpoint folder, on every attempt and every rerun: a
 * worker that dies or a platform that restarts costs the steps since the last checkpoint), register the adapters, then
 * evaluate them as a child {@link EvaluationWorkflow}. The arm and seed's row records each step; a failure records the
 * stage and reason and fails this workflow alone. Cancelling waits until the training activity has stopped (it learns
 * of the cancellation at its next heartbeat).
 */
public class ArmSeedWorkflowImpl implements ArmSeedWorkflow {
    /** Failure type prefix that tells the experiment which stage an arm and seed stopped in. */
    static final String FAILED_IN = "ArmSeedFailedIn:";

    private final TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.GPU)
                    .setStartToCloseTimeout(Duration.ofDays(7))
                    .setHeartbeatTimeout(Duration.ofMinutes(5))
                    .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setMaximumInterval(Duration.ofMinutes(1))
                            .setMaximumAttempts(10)
                            .setDoNotRetry(IllegalArgumentException.class.getName())
                            .build())
                    .build());

    private final ExperimentActivities records = Workflow.newActivityStub(ExperimentActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
                    .build());

    public static String workflowId(String experimentId, String arm, long seed) {
        return experimentId + "/" + arm + "/seed-" + seed;
    }

    @Override
    public ArmSeedResult run(ArmSeedRequest r) {
        String id = r.experimentId();
        ExperimentArm arm = r.arm();
        String stage = "training";
        try {
            TrainingResult trained = null;
            ObjectRef adapters = null;
            if (arm.trains()) {
                records.recordArmSeed(id, arm.name(), r.seed(), "TRAINING", null);
                trained = training.train(trainingRequest(r));
                records.registerAdapters(id, arm.name(), r.seed(), trained);
                adapters = trained.outputManifest();
            }
            stage = "evaluation";
            records.recordArmSeed(id, arm.name(), r.seed(), "EVALUATING", null);
            EvaluationRequest e = r.evaluation().forModel(id + "/" + arm.name() + "/seed-" + r.seed(), r.baseCheckpoint(),
                    adapters, arm.method());
            EvaluationSummary evaluated = Workflow.newChildWorkflowStub(EvaluationWorkflow.class,
                    ChildWorkflowOptions.newBuilder()
                            .setWorkflowId(workflowId(id, arm.name(), r.seed()) + "/evaluation")
                            .setTaskQueue(TaskQueues.CPU)
                            .build()).evaluate(e);
            ArmSeedResult result = new ArmSeedResult(arm.name(), r.seed(), trained, evaluated);
            records.recordArmSeedCompleted(id, result);
            return result;
        } catch (ActivityFailure | ChildWorkflowFailure failure) {
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("cancelled in " + stage); // the experiment records the cancellation
            }
            String reason = Failures.reason(failure);
            records.recordArmSeed(id, arm.name(), r.seed(), "FAILED", stage + ": " + reason);
            throw ApplicationFailure.newFailure(stage + ": " + reason, FAILED_IN + stage);
        }
    }

    static TrainingRequest trainingRequest(ArmSeedRequest r) {
        ExperimentArm arm = r.arm();
        return new TrainingRequest(r.experimentId() + "-" + arm.name() + "-seed-" + r.seed(), arm.method(), arm.variant(),
                arm.init(), r.seed(), arm.hyper(), r.datasetManifest(), r.baseCheckpoint(), r.output(), r.svd(),
                r.svdFactors());
    }
}
