package dev.mole.sandbox.activity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.sandbox.SandboxActivities;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.sandbox.Sandbox;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a JSONL batch of programs from the object store, runs them on the sandbox's parallel slots, heartbeats once per
 * finished program (detail: how many are done) and writes the results as JSONL beside the batch:
 * {@code <key>.jsonl -> <key>.results.jsonl}. A retry after the results were written returns them without re-running
 * (the object store's single PUT makes the results object all-or-nothing).
 */
public final class SandboxActivitiesImpl implements SandboxActivities {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Sandbox sandbox;
    private final BatchStorage storage;
    private final SandboxMetrics metrics;

    public SandboxActivitiesImpl(Sandbox sandbox, BatchStorage storage) {
        this(sandbox, storage, SandboxMetrics.global());
    }

    SandboxActivitiesImpl(Sandbox sandbox, BatchStorage storage, SandboxMetrics metrics) {
        this.sandbox = sandbox;
        this.storage = storage;
        this.metrics = metrics;
    }

    public static ObjectRef resultsRef(ObjectRef programs) {
        String key = programs.key().endsWith(".jsonl") ? programs.key().substring(0, programs.key().length() - 6) : programs.key();
        return new ObjectRef(programs.bucket(), key + ".results.jsonl");
    }

    @Override
    public ObjectRef runBatch(ObjectRef programs) {
        ObjectRef out = resultsRef(programs);
        if (storage.exists(out)) {
            return out;
        }
        List<SandboxProgram> batch = new ArrayList<>();
        List<SandboxResult> malformed = new ArrayList<>();
        readBatch(programs, batch, malformed);

        ActivityExecutionContext ctx = Activity.getExecutionContext();
        long started = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        Object heartbeatLock = new Object();
        ActivityCompletionException[] cancelled = new ActivityCompletionException[1];
        List<SandboxResult> results = sandbox.runAll(batch, r -> {
            metrics.graded(r);
            synchronized (heartbeatLock) {
                try {
                    ctx.heartbeat(done.incrementAndGet());
                } catch (ActivityCompletionException e) {
                    cancelled[0] = e; // rethrown below, on the activity's own thread
                }
            }
        });
        if (cancelled[0] != null) {
            throw cancelled[0];
        }
        List<SandboxResult> all = new ArrayList<>(results);
        all.addAll(malformed);
        malformed.forEach(metrics::graded);
        writeResults(out, all);
        metrics.batch(java.time.Duration.ofNanos(System.nanoTime() - started));
        return out;
    }

    private void readBatch(ObjectRef ref, List<SandboxProgram> batch, List<SandboxResult> malformed) {
        try (InputStream in = storage.open(ref);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    batch.add(JSON.readValue(line, SandboxProgram.class));
                } catch (IOException | RuntimeException e) {
                    malformed.add(new SandboxResult("line-" + n, "", "", SandboxVerdict.SANDBOX_ERROR,
                            "malformed program on line " + n + " of " + ref + ": " + e.getMessage(), -1, "", "", 0, 0));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read program batch " + ref, e);
        }
    }

    private void writeResults(ObjectRef out, List<SandboxResult> results) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("sandbox-results-", ".jsonl");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (SandboxResult r : results) {
                    w.write(JSON.writeValueAsString(r));
                    w.write('\n');
                }
            }
            storage.putFile(out, tmp, "application/x-ndjson");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results " + out, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file: the OS cleans up
                }
            }
        }
    }
}
