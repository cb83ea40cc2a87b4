package dev.mole.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.curation.CurationEngine;
import dev.mole.orchestrator.curation.CurationOutput;
import dev.mole.orchestrator.curation.CurationProgress;
import dev.mole.orchestrator.curation.DirectoryShardSink;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.curation.InputRoots;
import dev.mole.orchestrator.curation.RowSource;
import dev.mole.orchestrator.curation.RowSources;
import dev.mole.orchestrator.curation.ShardInfo;
import dev.mole.orchestrator.curation.SplitPlan;
import dev.mole.orchestrator.stack.StackEndpoints;
import dev.mole.orchestrator.workers.CpuWorker;
import dev.mole.orchestrator.workers.CpuWorkerMain;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker running a curation is killed with SIGKILL in the middle of writing shards. A new worker picks the activity
 * up from its last heartbeat and the workflow completes with exactly the dataset an uninterrupted run produces.
 */
@Tag("stack")
class WorkerCrashTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void curationSurvivesAKilledWorker() throws Exception {
        Path input = dir.resolve("glaive.jsonl");
        new GlaiveLikeGenerator(5L).write(input, 200_000);
        CurationRequest request = CurationRequest.of(input.toString());

        try (LocalPlatform local = LocalPlatform.start(TestStacks.isolated(dir.resolve("home")),
                CpuWorkerMain.heartbeatTimeout(HEARTBEAT), false)) {
            Process doomed = startWorkerProcess(local.platform().endpoints());
            String runId;
            WorkerFactory survivor = null;
            try {
                runId = new CurationService(local.platform().workflowClient()).start(request);
                ObjectRef datasets = new ObjectRef(local.platform().bucket(), "datasets/");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (local.platform().blobStore().list(datasets).isEmpty()) {
                    assertThat(doomed.isAlive()).as("worker process alive before its first shard").isTrue();
                    assertThat(System.nanoTime()).as("first shard written in time").isLessThan(deadline);
                    Thread.sleep(50);
                }
                doomed.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye to Temporal
                int shardsBeforeKill = local.platform().blobStore().list(datasets).size();

                survivor = CpuWorker.start(local.platform(), CpuWorkerMain.heartbeatTimeout(HEARTBEAT),
                        new InputRoots(List.of(dir)));
                DatasetSummary s = new CurationService(local.platform().workflowClient()).await(runId, Duration.ofMinutes(5));

                List<HistoryEvent> events = local.platform().workflowClient().fetchHistory(runId).getEvents();
                assertThat(events).anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && e.getActivityTaskStartedEventAttributes().getAttempt() > 1);

                JsonNode manifest = new ObjectMapper().readTree(
                        local.platform().blobStore().read(ObjectRef.parse(s.manifestUri())));
                List<String> published = new ArrayList<>();
                for (JsonNode shard : manifest.get("shards")) {
                    published.add(shard.get("name").asText() + "=" + shard.get("sha256").asText());
                }
                assertThat(published).hasSizeGreaterThan(shardsBeforeKill);
                assertThat(published).containsExactlyElementsOf(uninterruptedShards(request));
            } finally {
                doomed.destroyForcibly();
                if (survivor != null) {
                    survivor.shutdownNow();
                    survivor.awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The reference: the engine run straight through, with no Temporal and no crash. */
    private List<String> uninterruptedShards(CurationRequest request) throws Exception {
        CurationEngine engine = new CurationEngine(request);
        Path input = Path.of(request.inputUri());
        SplitPlan plan;
        try (RowSource rows = RowSources.open(input, "jsonl", "question", "answer")) {
            plan = engine.plan(rows, CurationProgress.none());
        }
        CurationOutput out;
        Path shards = Files.createDirectories(dir.resolve("reference"));
        try (RowSource rows = RowSources.open(input, "jsonl", "question", "answer")) {
            out = engine.write(rows, plan, new DirectoryShardSink(shards), null, CurationProgress.none());
        }
        return out.shards().stream().map((ShardInfo s) -> s.name() + "=" + s.sha256()).toList();
    }

    private Process startWorkerProcess(StackEndpoints e) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx512m",
                "-Dmole.temporal.target=" + e.temporalTarget(),
                "-Dmole.jdbc.url=" + e.jdbcUrl(),
                "-Dmole.jdbc.user=" + e.jdbcUser(),
                "-Dmole.s3.endpoint=" + e.s3Endpoint(),
                "-Dmole.s3.access-key=" + e.s3AccessKey(),
                "-Dmole.s3.secret-key=" + e.s3SecretKey(),
                "-Dmole.s3.bucket=" + e.bucket(),
                "-Dmole.home=" + dir.resolve("worker-home"),
                "-Dmole.curation.input-roots=" + dir,
                "-Dmole.curation.heartbeat-timeout=" + HEARTBEAT.toSeconds(),
                "-cp", System.getProperty("java.class.path"),
                CpuWorkerMain.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile()).start();
    }

}
