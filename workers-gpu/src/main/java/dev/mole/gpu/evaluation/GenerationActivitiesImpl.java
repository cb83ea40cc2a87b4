package dev.mole.gpu.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.GeneratedSample;
import dev.mole.contracts.evaluation.GenerationActivities;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.evaluation.GenerationTask;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.BatchGenerator;
import dev.mole.gpu.model.Generation;
import dev.mole.gpu.model.Generator;
import dev.mole.gpu.model.GenerationRequest;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GenerationActivities} on a GPU worker: one chunk of evaluation samples, generated in batches with a KV cache and
 * written to the object store as one object, whole, before the activity reports done. A retry that finds the object
 * returns it without generating (a killed worker costs only the chunk in flight; the same chunk always has the same
 * bytes because decoding is greedy or seeded per sample). The loaded model is kept for the next chunk of the same model.
 */
public final class GenerationActivitiesImpl implements GenerationActivities {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore store;
    private final EvaluatedModels models;
    private final int maxBatch;

    /** @param maxBatch sequences decoded together (32 on a CPU; more on a GPU) */
    public GenerationActivitiesImpl(BlobStore store, Path workDir, ModelOptions options, int maxBatch) {
        this.store = store;
        this.models = new EvaluatedModels(store, workDir, options);
        this.maxBatch = maxBatch;
    }

    @Override
    public ObjectRef generate(GenerationChunk chunk) {
        if (store.exists(chunk.output())) {
            return chunk.output(); // an earlier attempt finished this chunk: its object is whole (S3 puts are atomic)
        }
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        List<GenerationTask> tasks = readTasks(chunk.tasks());
        ctx.heartbeat(0);
        List<GeneratedSample> out = new ArrayList<>(tasks.size());
        // PER_LANG models hold one LoRA per language: each language's samples run on its own model
        for (List<GenerationTask> group : GenerationRequests.byAdapterLanguage(tasks)) {
            LlamaModel model = models.load(chunk.baseCheckpoint(), chunk.adapters(), group.get(0).adapterLanguage());
            List<GenerationRequest> requests = GenerationRequests.of(model, chunk, group);
            int done = out.size();
            List<Generation> generations = model.moe() != null ? recomputing(model, requests, finished -> ctx.heartbeat(done + finished))
                    : new BatchGenerator(model, maxBatch).generate(requests, finished -> ctx.heartbeat(done + finished));
            for (Generation g : generations) out.add(GenerationRequests.sample(model, g));
        }
        store.put(chunk.output(), jsonl(out), "application/x-ndjson");
        return chunk.output();
    }

    /**
     * A MultiPL-MoE model routes whole sequences (its segment experts choose among a sequence's windows, which a KV cache
     * cannot replay): each request is decoded alone, every step a full pass over the sequence so far (docs/multipl-moe.md).
     */
    static List<Generation> recomputing(LlamaModel model, List<GenerationRequest> requests, java.util.function.IntConsumer finished) {
        Generator g = new Generator(model);
        List<Generation> out = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            out.add(g.generate(r, false, (t, text, route) -> {}));
            finished.accept(out.size());
        }
        return out;
    }

    private List<GenerationTask> readTasks(ObjectRef ref) {
        List<GenerationTask> tasks = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(store.read(ref)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) tasks.add(JSON.readValue(line, GenerationTask.class));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable generation tasks " + ref + ": " + e.getMessage(), e);
        }
        if (tasks.isEmpty()) throw new IllegalArgumentException("no generation tasks in " + ref);
        return tasks;
    }

    private static byte[] jsonl(List<GeneratedSample> samples) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (GeneratedSample s : samples) {
                b.write(JSON.writeValueAsBytes(s));
                b.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
