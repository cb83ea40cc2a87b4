package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdHeartbeat;
import dev.mole.contracts.training.SvdRequest;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.training.internal.Sha256;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SVD stage on the real BlobStore (in-process S3): one computation per base and top k, reused by every seed and arm;
 * training from the stored factors equals training that computes them itself, to the bit; a partial or damaged folder is
 * recomputed or refused with what to do.
 */
class SvdStageTest {

    static InProcessS3 s3;
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectRef BASE = new ObjectRef("models", "tiny/");
    static final ObjectRef MANIFEST = new ObjectRef("datasets", "ds-svd/manifest.json");

    @TempDir
    Path work;
    TestActivityEnvironment env;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        s3 = new InProcessS3(dir.resolve("s3"));
        for (String b : List.of("models", "datasets", "runs")) s3.store.ensureBucket(b);
        try (Stream<Path> s = Files.list(TrainingFixtures.base())) {
            for (Path f : s.toList()) s3.store.putFile(BASE.child(f.getFileName().toString()), f, "application/octet-stream");
        }
        var splits = TrainingFixtures.splits(List.of(Language.PYTHON, Language.GO), 8, 2);
        ObjectNode m = JSON.createObjectNode().put("datasetId", "ds-svd");
        var shards = m.putArray("shards");
        for (var e : List.of(Map.entry("train-00000.jsonl.gz", splits.train()), Map.entry("validation-00000.jsonl.gz", splits.validation()))) {
            Path f = dir.resolve(e.getKey());
            TrainingFixtures.writeShard(f, e.getValue());
            s3.store.putFile(MANIFEST.sibling(e.getKey()), f, "application/gzip");
            shards.addObject().put("name", e.getKey()).put("sha256", Sha256.of(f));
        }
        s3.store.put(MANIFEST, JSON.writeValueAsBytes(m), "application/json");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @BeforeEach
    void environment() {
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new SvdActivitiesImpl(s3.store, work.resolve("svd-base"), ModelOptions.defaults()),
                new TrainingActivitiesImpl(s3.store, work, ModelOptions.defaults()));
    }

    @AfterEach
    void close() {
        env.close();
    }

    SvdActivities svd() {
        return env.newActivityStub(SvdActivities.class, options());
    }

    TrainingActivities training() {
        return env.newActivityStub(TrainingActivities.class, options());
    }

    static ActivityOptions options() {
        return ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(10)).setHeartbeatTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
    }

    static SvdRequest stage(String root, TrainingMethod method, String variant, String init, String how) {
        return new SvdRequest(BASE, SvdRequest.rankFor(method, variant, init), how, new ObjectRef("runs", root));
    }

    /** 16 records / batch 4 = 4 optimiser steps; validation at the start and the end only. */
    static TrainingRequest request(String run, TrainingMethod method, String variant, ObjectRef factors) {
        TrainingHyperParameters hp = TrainingFixtures.hyper(4, 1);
        return new TrainingRequest(run, method, variant, "shared_first", 21L, hp, MANIFEST, BASE, new ObjectRef("runs", run))
                .withSvdFactors(factors);
    }

    static Map<String, String> listing(ObjectRef folder) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectRef r : s3.store.list(folder)) out.put(r.key(), Sha256.of(s3.store.read(r)));
        return out;
    }

    @Test
    void oneComputationPerBaseAndTopKServesEveryArmAndSeed() {
        List<SvdHeartbeat> beats = Collections.synchronizedList(new ArrayList<>());
        env.setActivityHeartbeatListener(SvdHeartbeat.class, beats::add); // (training heartbeats another type: not here)
        // MoLE in any split and init order, nl_expert, AllLang-FT and PerLang-FT r64: all the top 64
        assertThat(List.of(SvdRequest.rankFor(TrainingMethod.MOLE, "48+16", "shared_first"), SvdRequest.rankFor(TrainingMethod.MOLE, "32+32", "shared_last"),
                SvdRequest.rankFor(TrainingMethod.MOLE, "56+8", "nl_expert"), SvdRequest.rankFor(TrainingMethod.ALL_LANG, "64", null),
                SvdRequest.rankFor(TrainingMethod.PER_LANG, null, null))).containsOnly(64);
        assertThat(List.of(SvdRequest.rankFor(TrainingMethod.MOLE, "48+16", "std"), SvdRequest.rankFor(TrainingMethod.FULL_FT, null, null),
                SvdRequest.rankFor(TrainingMethod.NO_FT, null, null))).containsOnly(0);

        SvdFactorsRef mole = svd().factors(stage("svd-reuse", TrainingMethod.MOLE, "48+16", null, null));
        assertThat(mole.computed()).isTrue();
        assertThat(mole.svd()).isEqualTo("randomized");
        assertThat(mole.rank()).isEqualTo(64);
        assertThat(mole.projections()).isEqualTo(6);
        assertThat(mole.seconds()).isPositive();
        assertThat(mole.manifest().key()).isEqualTo("svd-reuse/" + mole.key() + "/manifest.json");
        assertThat(beats).isNotEmpty().allSatisfy(b -> assertThat(b.projections()).isEqualTo(6));
        System.out.printf("svd stage, tiny base (2 layers, hidden 64, intermediate 176), top 64 randomised: %.3f s for 6 projections%n",
                mole.seconds());

        Map<String, String> before = listing(mole.manifest().sibling(""));
        SvdFactorsRef allLang = svd().factors(stage("svd-reuse", TrainingMethod.ALL_LANG, "64", null, "randomized"));
        assertThat(allLang.computed()).as("AllLang r64 finds MoLE-48+16's factors").isFalse();
        assertThat(allLang.manifest()).isEqualTo(mole.manifest());
        assertThat(allLang.seconds()).as("the time the stored computation took").isEqualTo(mole.seconds());
        assertThat(listing(mole.manifest().sibling(""))).as("nothing written again").isEqualTo(before);

        SvdFactorsRef exact = svd().factors(stage("svd-reuse", TrainingMethod.MOLE, "48+16", null, "exact"));
        SvdFactorsRef r32 = svd().factors(stage("svd-reuse", TrainingMethod.MOLE, "16+16", null, null));
        assertThat(List.of(exact.key(), r32.key())).doesNotContain(mole.key()).doesNotHaveDuplicates();
        assertThat(exact.computed()).isTrue();
        String base = BaseModelHash.of(TrainingFixtures.base());
        assertThat(SvdFactorStore.key(base, 64, SvdMethod.RANDOMIZED)).isEqualTo(mole.key());
        assertThat(SvdFactorStore.key(base.replace('a', 'b'), 64, SvdMethod.RANDOMIZED)).isNotEqualTo(mole.key());
    }

    @Test
    void trainingFromStoredFactorsIsBitIdenticalToComputingThemInTheTrainingActivity() throws Exception {
        SvdFactorsRef f = svd().factors(stage("svd-bits", TrainingMethod.MOLE, "48+16", null, null));
        TrainingResult inProcess = training().train(request("bits-in-process", TrainingMethod.MOLE, "48+16", null));
        TrainingResult stored = training().train(request("bits-stored", TrainingMethod.MOLE, "48+16", f.manifest()));

        assertThat(stored.steps()).isEqualTo(4);
        assertThat(Double.doubleToRawLongBits(stored.finalTrainLoss())).as("final loss, to the bit")
                .isEqualTo(Double.doubleToRawLongBits(inProcess.finalTrainLoss()));
        assertThat(stored.lossCurves()).isEqualTo(inProcess.lossCurves());
        JsonNode a = JSON.readTree(s3.store.read(inProcess.outputManifest())), b = JSON.readTree(s3.store.read(stored.outputManifest()));
        assertThat(b.get("svd").asText()).isEqualTo("RANDOMIZED");
        assertThat(a.get("svdFactorsKey").asText()).isEqualTo(b.get("svdFactorsKey").asText()).isEqualTo(f.key());
        assertThat(b.get("files").size()).isEqualTo(1 + 8 + 1 + 1); // shared, 8 experts, nl, residual factors
        for (var e : b.get("files").properties()) {
            byte[] x = s3.store.read(new ObjectRef("runs", "bits-in-process/" + e.getKey()));
            byte[] y = s3.store.read(new ObjectRef("runs", "bits-stored/" + e.getKey()));
            assertThat(y).as(e.getKey() + ": every trained adapter array and the residual, byte for byte").isEqualTo(x);
        }

        // AllLang-FT r64 starts from the very same stored factors, and at init the randomised PiSSA model is the base
        TrainingResult lora = training().train(request("bits-lora", TrainingMethod.ALL_LANG, "64", f.manifest()));
        JsonNode c = JSON.readTree(s3.store.read(lora.outputManifest()));
        assertThat(c.get("svdFactorsKey").asText()).isEqualTo(f.key());
        // PerLang-FT too, every language's LoRA from them (no SVD per language)
        TrainingResult perLang = training().train(request("bits-perlang", TrainingMethod.PER_LANG, "64", f.manifest()));
        JsonNode d = JSON.readTree(s3.store.read(perLang.outputManifest()));
        assertThat(d.get("svdFactorsKey").asText()).isEqualTo(f.key());
        assertThat(d.get("files").has("adapter-lora-python.safetensors") && d.get("files").has("adapter-lora-go.safetensors")).isTrue();
        TrainingResult none = training().train(request("bits-base", TrainingMethod.NO_FT, null, null));
        for (TrainingResult r : List.of(stored, lora)) {
            Map<String, Double> atInit = r.validationCurves().get("train").get(0).loss();
            assertThat(r.validationCurves().get("train").get(0).step()).isZero();
            none.validationLoss().forEach((lang, loss) -> assertThat(atInit.get(lang)).as(lang).isCloseTo(loss, within(1e-4)));
        }
    }

    @Test
    void aPartialOrDamagedFolderIsRecomputedOrRefused() throws Exception {
        SvdRequest req = stage("svd-damage", TrainingMethod.MOLE, "48+16", null, null);
        SvdFactorsRef f = svd().factors(req);
        ObjectRef folder = f.manifest().sibling("");
        JsonNode m = JSON.readTree(s3.store.read(f.manifest()));
        ObjectRef layer0 = folder.child(m.get("files").get(0).get("name").asText());
        byte[] good = s3.store.read(layer0), manifest = s3.store.read(f.manifest());

        // an upload that died before its manifest: not committed, so computed again
        s3.store.delete(f.manifest());
        assertThatThrownBy(() -> training().train(request("damage-1", TrainingMethod.MOLE, "48+16", f.manifest())))
                .hasStackTraceContaining("never committed (no manifest)").hasStackTraceContaining("run the svd stage again");
        SvdFactorsRef again = svd().factors(req);
        assertThat(again.computed()).isTrue();
        assertThat(s3.store.read(layer0)).as("same input, same algorithm and seed: the same bits").isEqualTo(good);

        // a listed file gone: computed again
        s3.store.delete(layer0);
        assertThat(svd().factors(req).computed()).isTrue();
        assertThat(s3.store.read(layer0)).isEqualTo(good);

        // a file of the right size whose bytes changed: training refuses it, naming the file
        byte[] bad = good.clone();
        bad[bad.length - 3] ^= 1;
        s3.store.put(layer0, bad, "application/octet-stream");
        assertThatThrownBy(() -> training().train(request("damage-2", TrainingMethod.MOLE, "48+16", f.manifest())))
                .hasStackTraceContaining(layer0.uri()).hasStackTraceContaining("does not match its sha256");
        s3.store.put(layer0, good, "application/octet-stream");

        // factors of another base, or another k, are refused before any training
        ObjectNode other = (ObjectNode) JSON.readTree(manifest);
        other.put("baseModelSha256", "0".repeat(64));
        s3.store.put(f.manifest(), JSON.writeValueAsBytes(other), "application/json");
        assertThatThrownBy(() -> training().train(request("damage-3", TrainingMethod.MOLE, "48+16", f.manifest())))
                .hasStackTraceContaining("are of another base model");
        s3.store.put(f.manifest(), manifest, "application/json");
        assertThatThrownBy(() -> training().train(request("damage-4", TrainingMethod.MOLE, "32+16", f.manifest())))
                .hasStackTraceContaining("this run needs the top 48");
        assertThat(s3.store.exists(new ObjectRef("runs", "damage-4/manifest.json"))).isFalse();
    }
}
