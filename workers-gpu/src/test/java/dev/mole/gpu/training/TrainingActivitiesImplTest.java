package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingHeartbeat;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.training.internal.Sha256;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activity in Temporal's activity test environment against the real BlobStore on an in-process S3 server: data comes
 * by reference, progress is heartbeated, and a worker that dies mid-run is replaced by one that resumes from the object
 * store's checkpoint and ends with the same adapters as a run that never stopped.
 */
class TrainingActivitiesImplTest {

    static InProcessS3 s3;
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectRef BASE = new ObjectRef("models", "tiny/");
    static final ObjectRef MANIFEST = new ObjectRef("datasets", "ds-1/manifest.json");

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        s3 = new InProcessS3(dir.resolve("s3"));
        for (String b : List.of("models", "datasets", "runs")) s3.store.ensureBucket(b);
        try (Stream<Path> s = Files.list(TrainingFixtures.base())) {
            for (Path f : s.toList()) s3.store.putFile(BASE.child(f.getFileName().toString()), f, "application/octet-stream");
        }
        // a curated dataset as the curation activity publishes it: shards beside manifest.json, listed with their sha256
        var splits = TrainingFixtures.splits(List.of(Language.PYTHON, Language.GO), 8, 2);
        ObjectNode m = JSON.createObjectNode().put("datasetId", "ds-1");
        var shards = m.putArray("shards");
        for (var e : List.of(java.util.Map.entry("train-00000.jsonl.gz", splits.train()), java.util.Map.entry("validation-00000.jsonl.gz", splits.validation()))) {
            Path f = dir.resolve(e.getKey());
            TrainingFixtures.writeShard(f, e.getValue());
            s3.store.putFile(MANIFEST.sibling(e.getKey()), f, "application/gzip");
            shards.addObject().put("name", e.getKey()).put("split", e.getKey().startsWith("train") ? "train" : "validation")
                    .put("rows", e.getValue().size()).put("sha256", Sha256.of(f));
        }
        s3.store.put(MANIFEST, JSON.writeValueAsBytes(m), "application/json");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    static TrainingRequest request(String run) {
        // 16 records / batch 4 = 4 steps per epoch x 2 epochs; checkpoints every 3 steps
        TrainingHyperParameters hp = TrainingFixtures.hyper(4, 2).withIntervals(4, 3);
        return new TrainingRequest(run, TrainingMethod.MOLE, "48+16", "shared_first", 11L, hp, MANIFEST, BASE, new ObjectRef("runs", run));
    }

    static TrainingActivities stub(TestActivityEnvironment env) {
        return env.newActivityStub(TrainingActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(10)).setHeartbeatTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
    }

    @Test
    void trainsFromReferencesHeartbeatsAndResumesAfterTheWorkerDies(@TempDir Path work) throws Exception {
        // an uninterrupted run
        TestActivityEnvironment env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder().build());
        List<TrainingHeartbeat> beats = Collections.synchronizedList(new ArrayList<>());
        env.setActivityHeartbeatListener(TrainingHeartbeat.class, beats::add);
        env.registerActivitiesImplementations(new TrainingActivitiesImpl(s3.store, work.resolve("w0"), ModelOptions.defaults()));
        TrainingResult straight = stub(env).train(request("straight"));
        env.close();
        assertThat(straight.steps()).isEqualTo(8);
        assertThat(straight.resumedFromStep()).isZero();
        assertThat(straight.validationLoss()).containsKeys("all", "python", "go");
        assertThat(beats).isNotEmpty().allSatisfy(b -> assertThat(b.seed()).isEqualTo(11L));
        assertThat(beats).extracting(b -> b.progress().totalSteps()).contains(8L);
        // the loss curve travels with the heartbeats and ends in the result
        assertThat(beats).anySatisfy(b -> assertThat(b.progress().lossCurve()).isNotEmpty());
        // (the test environment throttles heartbeats to the first one; the upload heartbeat is checked below)
        assertThat(straight.lossCurves().get("train")).hasSize(8);
        assertThat(straight.validationCurves().get("train")).extracting(LossCurve.ValidationPoint::step).contains(0L, 4L, 8L);

        // a run whose worker dies after step 5 (checkpoint at step 3 is in the object store) ...
        TestActivityEnvironment env1 = TestActivityEnvironment.newInstance();
        env1.registerActivitiesImplementations(new TrainingActivitiesImpl(s3.store, work.resolve("w1"), ModelOptions.defaults(), p -> {
            if (p.step() == 5) throw new IllegalStateException("worker died");
        }));
        assertThatThrownBy(() -> stub(env1).train(request("crashed"))).hasStackTraceContaining("worker died");
        env1.close();
        assertThat(s3.store.exists(new ObjectRef("runs", "crashed/checkpoints/main/step-000000000003/checkpoint.json"))).isTrue();
        assertThat(s3.store.exists(new ObjectRef("runs", "crashed/manifest.json"))).isFalse();

        // ... and the retry runs on another worker with an empty work folder
        TestActivityEnvironment env2 = TestActivityEnvironment.newInstance();
        env2.registerActivitiesImplementations(new TrainingActivitiesImpl(s3.store, work.resolve("w2"), ModelOptions.defaults()));
        TrainingResult resumed = stub(env2).train(request("crashed"));
        env2.close();
        assertThat(resumed.resumedFromStep()).isEqualTo(3);
        assertThat(resumed.steps()).isEqualTo(8);
        assertThat(resumed.outputManifest()).isEqualTo(new ObjectRef("runs", "crashed/manifest.json"));

        JsonNode a = JSON.readTree(s3.store.read(straight.outputManifest())), b = JSON.readTree(s3.store.read(resumed.outputManifest()));
        assertThat(b.get("datasetId").asText()).isEqualTo("ds-1");
        // same adapters to the bit: the sha256 of every output file agrees
        assertThat(b.get("files")).isEqualTo(a.get("files"));
        for (var f : b.get("files").properties()) {
            assertThat(Sha256.of(s3.store.read(new ObjectRef("runs", "crashed/" + f.getKey())))).isEqualTo(f.getValue().asText());
        }
    }

    @Test
    void aMultiplMoeRequestTrainsThroughTheActivityWithItsSettings(@TempDir Path work) throws Exception {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder().build());
        List<TrainingHeartbeat> beats = Collections.synchronizedList(new ArrayList<>());
        env.setActivityHeartbeatListener(TrainingHeartbeat.class, beats::add);
        env.registerActivitiesImplementations(new TrainingActivitiesImpl(s3.store, work.resolve("w"), ModelOptions.defaults()));
        var moe = new dev.mole.contracts.training.MoeSettings(6, 6, 8, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3,
                dev.mole.contracts.training.MoeSettings.ExpertSize.LOW_RANK, 4, 4);
        TrainingHyperParameters hp = TrainingFixtures.hyper(4, 1);
        TrainingRequest req = new TrainingRequest("moe", TrainingMethod.MULTIPL_MOE, null, null, 11L, hp, MANIFEST, BASE,
                new ObjectRef("runs", "moe"), "randomized", null, moe);
        TrainingResult r = stub(env).train(req);
        env.close();
        assertThat(r.steps()).isEqualTo(4);
        assertThat(beats).anySatisfy(b -> assertThat(b.progress().routing()).isNotNull());
        JsonNode m = JSON.readTree(s3.store.read(r.outputManifest()));
        assertThat(m.get("method").asText()).isEqualTo("MULTIPL_MOE");
        assertThat(m.at("/moe/settings/expertSize").asText()).isEqualTo("LOW_RANK");
        assertThat(m.at("/moe/settings/window").asInt()).isEqualTo(8);
        assertThat(s3.store.exists(new ObjectRef("runs", "moe/" + FineTuner.MOE_FILE))).isTrue();
    }

    @Test
    void theUploadHeartbeatKeepsTheRunsLastCurve() {
        var curve = List.of(new LossCurve.Point(1, 2.0, 1), new LossCurve.Point(2, 1.5, 1));
        var val = List.of(new LossCurve.ValidationPoint(2, Map.of("all", 1.7)));
        TrainingProgress last = new TrainingProgress("train:done", 2, 2, 0, 1.5, 1e-4, 900, Map.of("all", 1.7), 0, curve, val);
        FineTuner.Outcome o = new FineTuner.Outcome(Path.of("out"), null, 2, 0, 1.5, Map.of(), Map.of(), Map.of(), Map.of());
        TrainingProgress up = TrainingActivitiesImpl.uploading(o, last);
        assertThat(up.phase()).isEqualTo("train:upload");
        assertThat(up.lossCurve()).isEqualTo(curve);
        assertThat(up.validationCurve()).isEqualTo(val);
        assertThat(TrainingActivitiesImpl.uploading(o, null).lossCurve()).isEmpty(); // NO_FT: nothing trained, no curve
    }
}
