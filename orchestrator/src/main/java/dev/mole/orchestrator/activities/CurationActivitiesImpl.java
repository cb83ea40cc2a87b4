package dev.mole.orchestrator.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mole.contracts.curation.CurationActivities;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.curation.CurationEngine;
import dev.mole.orchestrator.curation.CurationInputException;
import dev.mole.orchestrator.curation.CurationOutput;
import dev.mole.orchestrator.curation.InputRoots;
import dev.mole.orchestrator.curation.CurationProgress;
import dev.mole.orchestrator.curation.ManifestWriter;
import dev.mole.orchestrator.curation.RowSource;
import dev.mole.orchestrator.curation.RowSources;
import dev.mole.orchestrator.curation.SplitPlan;
import dev.mole.orchestrator.curation.WriteCheckpoint;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.datasets.DatasetRecord;
import dev.mole.orchestrator.workflows.CurationWorkflowImpl;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Curation on the CPU queue. Shards go under {@code datasets/<id>/} (content-addressed, so a retry overwrites them with
 * identical bytes), then the manifest, then one catalog transaction: a dataset is visible only once all of it exists.
 */
public final class CurationActivitiesImpl implements CurationActivities {
    /** The engine's version is part of every dataset id, so a changed engine never reuses an old dataset. */
    static final String ENGINE_VERSION = CurationEngine.VERSION;
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    private final BlobStore blobs;
    private final String bucket;
    private final DatasetCatalog catalog;
    private final InputRoots inputRoots;

    public CurationActivitiesImpl(BlobStore blobs, String bucket, DatasetCatalog catalog, InputRoots inputRoots) {
        this.blobs = blobs;
        this.bucket = bucket;
        this.catalog = catalog;
        this.inputRoots = inputRoots;
    }

    @Override
    public InputFingerprint fingerprint(CurationRequest request) {
        return userErrors(() -> {
            inputRoots.requireAllowed(request.inputUri()); // before anything, even the format, is learnt of the file
            String format = RowSources.resolveFormat(request.inputUri(), request.format());
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            MessageDigest sha = sha256();
            long total = 0;
            try (CurationInput input = new CurationInput(request.inputUri(), format, blobs);
                    InputStream in = input.openBytes()) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                    total += n;
                    ctx.heartbeat(total);
                }
            }
            if (total == 0) {
                throw new CurationInputException("input is empty: " + request.inputUri());
            }
            String inputSha = HexFormat.of().formatHex(sha.digest());
            return new InputFingerprint(datasetId(inputSha, format, request), inputSha, total, format);
        });
    }

    /** The id depends on the content and on every setting that changes the output, never on names or paths. */
    static String datasetId(String inputSha, String format, CurationRequest r) {
        Map<String, Object> config = config(format, r);
        String canonical;
        try {
            canonical = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageDigest sha = sha256();
        sha.update((ENGINE_VERSION + "\n" + inputSha + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    }

    private static Map<String, Object> config(String format, CurationRequest r) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("engine", ENGINE_VERSION);
        config.put("format", format);
        config.put("questionField", r.questionField());
        config.put("answerField", r.answerField());
        config.put("fenceMode", r.fenceMode().name());
        config.put("validationShare", r.validationShare());
        config.put("seed", r.seed());
        return config;
    }

    @Override
    public Optional<DatasetSummary> findDataset(String datasetId) {
        return catalog.find(datasetId).map(d -> summary(d, true));
    }

    @Override
    public DatasetSummary curate(CurationRequest request, InputFingerprint fingerprint, String runId) {
        return userErrors(() -> {
            inputRoots.requireAllowed(request.inputUri()); // this worker's roots, which may differ from the first one's
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            CurationResume resumed = ctx.getHeartbeatDetails(CurationResume.class).orElse(null);
            CurationEngine engine = new CurationEngine(request);
            ObjectRef dir = new ObjectRef(bucket, "datasets/" + fingerprint.datasetId());
            try (CurationInput input = new CurationInput(request.inputUri(), fingerprint.format(), blobs)) {
                Heartbeats beats = new Heartbeats(ctx, runId, fingerprint.inputBytes());
                SplitPlan plan = resumed != null && resumed.plan() != null ? resumed.plan() : null;
                if (plan == null) {
                    try (RowSource rows = input.openRows(request.questionField(), request.answerField())) {
                        plan = engine.plan(rows, beats.phase("scan", null, null));
                    }
                }
                WriteCheckpoint from = resumed == null ? null : resumed.checkpoint();
                CurationOutput output;
                try (RowSource rows = input.openRows(request.questionField(), request.answerField())) {
                    output = engine.write(rows, plan,
                            shard -> blobs.putFile(dir.child(shard.name()), shard.file(), "application/gzip"),
                            from, beats.phase("write", plan, from));
                }
                ObjectRef manifest = dir.child("manifest.json");
                blobs.put(manifest, ManifestWriter.manifestJson(fingerprint.datasetId(), request, output),
                        "application/json");
                DatasetRecord record = record(request, fingerprint, manifest, output);
                catalog.publish(record, runId);
                return summary(record, false);
            }
        });
    }

    @Override
    public void recordRunStarted(String runId, CurationRequest request) {
        try {
            catalog.startRun(runId, request.name(), request.inputUri(), JSON.writeValueAsString(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void recordRunFinished(String runId, String datasetId, String error) {
        catalog.finishRun(runId, datasetId, error);
    }

    private DatasetRecord record(CurationRequest r, InputFingerprint fp, ObjectRef manifest, CurationOutput out)
            throws IOException {
        var stats = out.statistics();
        return new DatasetRecord(fp.datasetId(), r.name(), r.inputUri(), fp.inputSha256(), fp.inputBytes(),
                JSON.writeValueAsString(config(fp.format(), r)), manifest.uri(), JSON.writeValueAsString(stats),
                stats.inputRows(), stats.keptRows(), stats.trainRows(), stats.validationRows(), stats.droppedRows(),
                null);
    }

    private static DatasetSummary summary(DatasetRecord d, boolean reused) {
        return new DatasetSummary(d.datasetId(), d.name(), d.manifestUri(), d.inputRows(), d.keptRows(), d.trainRows(),
                d.validationRows(), d.droppedRows(), reused);
    }

    /** Heartbeats every progress report (the SDK throttles them) and writes progress to the catalog once a second. */
    private final class Heartbeats {
        private final ActivityExecutionContext ctx;
        private final String runId;
        private final long totalBytes;
        private long lastDbWrite;

        Heartbeats(ActivityExecutionContext ctx, String runId, long totalBytes) {
            this.ctx = ctx;
            this.runId = runId;
            this.totalBytes = totalBytes;
        }

        CurationProgress phase(String phase, SplitPlan plan, WriteCheckpoint resumedFrom) {
            return new CurationProgress() {
                private WriteCheckpoint last = resumedFrom;
                private long rows;
                private long bytes;

                @Override
                public void rowsRead(String ignored, long rowsRead, long bytesRead) {
                    rows = rowsRead;
                    bytes = bytesRead;
                    ctx.heartbeat(new CurationResume(plan, last, phase, rows, bytes));
                    long now = System.nanoTime();
                    if (now - lastDbWrite > PROGRESS_INTERVAL_NANOS) {
                        lastDbWrite = now;
                        catalog.progress(runId, phase, rowsRead, bytesRead, totalBytes);
                    }
                }

                @Override
                public void shardWritten(WriteCheckpoint checkpoint) {
                    last = checkpoint;
                    ctx.heartbeat(new CurationResume(plan, last, phase, rows, bytes));
                }
            };
        }
    }

    private interface Body<T> {
        T run() throws IOException;
    }

    /** Bad input becomes a non-retryable failure with the user's message; I/O trouble stays retryable. */
    private static <T> T userErrors(Body<T> body) {
        try {
            return body.run();
        } catch (CurationInputException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), CurationWorkflowImpl.INVALID_INPUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
