package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingHeartbeat;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.training.internal.Sha256;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@link TrainingActivities} on a GPU worker: fetches the base checkpoint and the dataset shards from the object store
 * (each shard checked against the dataset manifest's sha256), reads the SVD stage's factors when the request names them
 * ({@link SvdFactorStore#read}: of this base, k and method, every file's sha256 checked; else computes them here), trains
 * with checkpoints in the object store under {@code output/checkpoints/<phase>/}, heartbeats {@link TrainingHeartbeat} (seed and {@link TrainingProgress}), and uploads the output folder with
 * {@code manifest.json} last. A retry on any worker (the local work folder may be gone) resumes from the latest complete
 * checkpoint.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore store;
    private final Path workDir;
    private final ModelOptions options;
    private final ProgressListener extra;

    public TrainingActivitiesImpl(BlobStore store, Path workDir, ModelOptions options) {
        this(store, workDir, options, ProgressListener.NONE);
    }

    /** @param extra also receives every progress event (console, logs; tests use it to stop a run mid-way) */
    public TrainingActivitiesImpl(BlobStore store, Path workDir, ModelOptions options, ProgressListener extra) {
        this.store = store;
        this.workDir = workDir;
        this.options = options;
        this.extra = extra;
    }

    @Override
    public TrainingResult train(TrainingRequest req) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Path local = workDir.resolve(req.runId().replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Path base = ObjectFolders.download(store, req.baseCheckpoint(), local.resolve("base"), "base checkpoint");
            JsonNode manifest = JSON.readTree(store.read(req.datasetManifest()));
            Path data = fetchShards(req.datasetManifest(), manifest, local.resolve("dataset"));
            MoleConfig cfg = adapterConfig(req);
            SvdMethod svd = SvdMethod.parse(req.svdMethod());
            FineTuner.Job job = new FineTuner.Job(req.method(), cfg, svd, req.hyper(), req.seed(), base,
                    DatasetShards.read(data), manifest.path("datasetId").asText(""), options, storedFactors(req, cfg, svd, base), req.moe());
            ObjectRef checkpoints = req.output().child("checkpoints");
            FineTuner.Stores stores = phase -> new ObjectStoreCheckpointStore(store, checkpoints.child(phase), 2);
            java.util.concurrent.atomic.AtomicReference<TrainingProgress> last = new java.util.concurrent.atomic.AtomicReference<>();
            ProgressListener listener = p -> {
                last.set(p);
                ctx.heartbeat(new TrainingHeartbeat(req.seed(), p)); // the SDK throttles heartbeats; the latest details win
                extra.onProgress(p);
            };
            Path out = local.resolve("output");
            deleteTree(out);
            FineTuner.Outcome o = FineTuner.run(job, stores, listener, out);
            ctx.heartbeat(new TrainingHeartbeat(req.seed(), uploading(o, last.get())));
            List<Path> files;
            try (Stream<Path> s = Files.walk(out)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String rel = out.relativize(f).toString().replace('\\', '/');
                if (!rel.equals(AdapterManifest.FILE)) store.putFile(req.output().child(rel), f, "application/octet-stream");
            }
            ObjectRef manifestRef = req.output().child(AdapterManifest.FILE);
            store.putFile(manifestRef, out.resolve(AdapterManifest.FILE), "application/json"); // last: the output's commit marker
            Map<String, Double> val = new TreeMap<>();
            o.finalValidation().forEach((run, m) -> m.forEach((k, v) -> val.put(run.equals("main") ? k : run + "/" + k, v)));
            return new TrainingResult(manifestRef, o.steps(), o.resumedFromStep(), o.lastLoss(), val, o.lossCurves(), o.validationCurves());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SVD stage's factors when the request names them and the method starts from PiSSA factors; else null. */
    private PissaFactors storedFactors(TrainingRequest req, MoleConfig cfg, SvdMethod svd, Path base) {
        if (req.svdFactors() == null || cfg == null || cfg.init() == AdapterInit.STD) return null;
        return SvdFactorStore.read(store, req.svdFactors(), BaseModelHash.of(base), cfg.unionRank(), svd);
    }

    /** The upload phase's heartbeat: the run's last curve stays on the console while the outputs go to the object store. */
    static TrainingProgress uploading(FineTuner.Outcome o, TrainingProgress last) {
        if (last == null) return TrainingProgress.of("upload", o.steps(), o.steps(), 0, o.lastLoss(), 0, 0, Map.of(), 0);
        // "train:done" -> "train:upload": the phase whose curve this is, and what happens now
        return new TrainingProgress(last.trainingPhase() + ":upload", o.steps(), o.steps(), last.epoch(), o.lastLoss(), last.learningRate(),
                last.tokensPerSecond(), last.validationLoss(), 0, last.lossCurve(), last.validationCurve(), last.routing());
    }

    /** Adapter layout of a request: MoLE "48+16" (+ init / nl_expert), or a single LoRA of rank "64". */
    static MoleConfig adapterConfig(TrainingRequest req) {
        String init = req.init().toLowerCase(Locale.ROOT);
        AdapterInit ai = switch (init) {
            case "shared_last" -> AdapterInit.SHARED_LAST;
            case "std" -> AdapterInit.STD;
            case "shared_first", "nl_expert", "pissa" -> AdapterInit.SHARED_FIRST;
            default -> throw new IllegalArgumentException("unknown init '" + req.init() + "'");
        };
        return switch (req.method()) {
            case MOLE -> {
                String[] p = req.variant().split("\\+");
                if (p.length != 2) throw new IllegalArgumentException("MoLE variant must be shared+expert ranks, e.g. 48+16: " + req.variant());
                MoleConfig.Layout layout = init.equals("nl_expert") ? MoleConfig.Layout.NL_EXPERT : MoleConfig.Layout.MOLE;
                yield new MoleConfig(layout, Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), 32, 16, 32, ai, req.seed());
            }
            case ALL_LANG, PER_LANG -> new MoleConfig(MoleConfig.Layout.SINGLE, Integer.parseInt(req.variant().trim()), 0, 32, 0, 0, ai, req.seed());
            case FULL_FT, NO_FT, MULTIPL_MOE -> null;
        };
    }

    private Path fetchShards(ObjectRef manifestRef, JsonNode manifest, Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonNode shards = manifest.path("shards");
        if (!shards.isArray() || shards.isEmpty()) throw new IllegalArgumentException("dataset manifest " + manifestRef + " lists no shards");
        for (JsonNode s : shards) {
            String name = s.get("name").asText();
            if (name.contains("/") || name.startsWith(".")) throw new IllegalArgumentException("bad shard name " + name);
            Path f = dir.resolve(name);
            String want = s.path("sha256").asText("");
            if (!Files.isRegularFile(f) || !Sha256.of(f).equals(want)) {
                byte[] b = store.read(manifestRef.sibling(name));
                if (!want.isEmpty() && !Sha256.of(b).equals(want)) throw new IllegalStateException("shard " + name + " does not match the manifest's sha256");
                Files.write(f, b);
            }
        }
        return dir;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    /** For logs: a one-line rendering of a progress event. */
    public static String render(TrainingProgress p) {
        return String.format(Locale.ROOT, "%s step %d/%d epoch %d loss %.4f lr %.2e %.0f tok/s eta %.0fs val %s", p.phase(), p.step(),
                p.totalSteps(), p.epoch(), p.loss(), p.learningRate(), p.tokensPerSecond(), p.etaSeconds(), p.validationLoss());
    }
}
