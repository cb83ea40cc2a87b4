package dev.mole.gpu.model;

import ai.djl.ndarray.NDManager;
import dev.mole.gpu.model.internal.Tensors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generates many sequences together: up to {@code maxBatch} rows decode one token each per step (one forward pass over
 * [rows, hidden] tokens, each row at its own position with its own cached keys, MoLE routes per row), and a queued request
 * takes a row as soon as one finishes (continuous batching), so no compute goes to finished sequences. Each prompt is
 * prefilled on its own through the single-sequence path. Tokens, routes and text are those of {@link Generator} run on
 * each request alone (same picking, routing and detokenising, {@code GenerationState}); logits differ from it by float
 * rounding only (see MODEL-CORE.md, batched generation).
 */
public final class BatchGenerator {

    private final LlamaModel model;
    private final int maxBatch;
    private final int stopToken;

    public BatchGenerator(LlamaModel model, int maxBatch) {
        this(model, maxBatch, model.config().eosTokenId());
    }

    /** @param stopToken the token that ends a sequence (the config's eos unless a chat format says otherwise; -1: none) */
    public BatchGenerator(LlamaModel model, int maxBatch, int stopToken) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        this.model = model;
        this.maxBatch = maxBatch;
        this.stopToken = stopToken;
    }

    /**
     * Where the time went, summed over this generator's calls: prefills (one per request) and decoding steps, in wall
     * time and in the calling thread's CPU time (with one libtorch thread that is the compute itself, whatever else runs
     * on the machine). {@code rowSteps / steps} is the mean number of rows per step.
     */
    public record Stats(long prefills, long prefillNanos, long prefillCpuNanos, long steps, long rowSteps, long decodeNanos,
                        long decodeCpuNanos) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long prefills, prefillNanos, prefillCpuNanos, steps, rowSteps, decodeNanos, decodeCpuNanos;

    public Stats stats() {
        return new Stats(prefills, prefillNanos, prefillCpuNanos, steps, rowSteps, decodeNanos, decodeCpuNanos);
    }

    /** A sequence holding a row of the batch: its state and the token to feed next. */
    private record Row(int request, GenerationState state, GenerationState.Emitted pending) {}

    /** Generates every request; the results are in request order. Requests are checked before any compute. */
    public List<Generation> generate(List<GenerationRequest> requests) {
        return generate(requests, finished -> {});
    }

    /** @param progress told the number of finished requests each time one finishes (e.g. to heartbeat a long chunk) */
    public List<Generation> generate(List<GenerationRequest> requests, IntConsumer progress) {
        for (GenerationRequest r : requests) check(r);
        Results out = new Results(requests.size(), progress);
        Deque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < requests.size(); i++) queue.add(i);
        List<Row> rows = new ArrayList<>();
        try (BatchKvCache cache = model.newBatchCache(Math.min(maxBatch, Math.max(1, requests.size())))) {
            admit(requests, queue, rows, cache, out);
            while (!rows.isEmpty()) {
                step(rows, cache, out);
                admit(requests, queue, rows, cache, out);
            }
        }
        return out.all();
    }

    /** Prefills queued requests into free rows; one that ends with its first token never takes a row. */
    private void admit(List<GenerationRequest> requests, Deque<Integer> queue, List<Row> rows, BatchKvCache cache,
                       Results out) {
        while (rows.size() < cache.slots() && !queue.isEmpty()) {
            int r = queue.poll();
            GenerationRequest req = requests.get(r);
            GenerationState state = new GenerationState(model, req, stopToken);
            try (KvCache prefill = model.newCache()) {
                long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                GenerationState.Emitted first = state.next(model.nextLogits(req.promptIds(), req.effectivePromptRoutes(), prefill));
                prefills++;
                prefillNanos += System.nanoTime() - w0;
                prefillCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
                if (state.finished()) {
                    out.put(r, state.generation());
                } else {
                    cache.add(prefill);
                    rows.add(new Row(r, state, first));
                }
            }
        }
    }

    /** One token for every row; finished rows leave the batch (the last row takes the slot, as in the cache). */
    private void step(List<Row> rows, BatchKvCache cache, Results out) {
        long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        int b = rows.size(), v = model.config().vocabSize();
        int[] ids = new int[b], routes = new int[b];
        for (int i = 0; i < b; i++) {
            ids[i] = rows.get(i).pending().token();
            routes[i] = rows.get(i).pending().route();
        }
        float[] logits;
        try (NDManager step = model.manager().newSubManager()) {
            logits = Tensors.floats(model.decodeStep(step, ids, routes, cache));
        }
        for (int i = b - 1; i >= 0; i--) { // descending: the row moved into a freed slot has been stepped already
            Row row = rows.get(i);
            GenerationState.Emitted e = row.state().next(Arrays.copyOfRange(logits, i * v, (i + 1) * v));
            if (row.state().finished()) {
                out.put(row.request(), row.state().generation());
                cache.remove(i);
                Row last = rows.remove(rows.size() - 1);
                if (i < rows.size()) rows.set(i, last);
            } else {
                rows.set(i, new Row(row.request(), row.state(), e));
            }
        }
        steps++;
        rowSteps += b;
        decodeNanos += System.nanoTime() - w0;
        decodeCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
    }

    /** Finished generations by request index, reporting progress as they arrive. */
    private static final class Results {
        private final Generation[] byRequest;
        private final IntConsumer progress;
        private int finished;

        Results(int n, IntConsumer progress) {
            this.byRequest = new Generation[n];
            this.progress = progress;
        }

        void put(int request, Generation g) {
            byRequest[request] = g;
            progress.accept(++finished);
        }

        List<Generation> all() {
            return List.of(byRequest);
        }
    }

    /** What only the model can check, so a bad request fails before any other request has been computed. */
    private void check(GenerationRequest r) {
        for (int id : r.promptIds()) {
            if (id < 0 || id >= model.config().vocabSize()) {
                throw new IllegalArgumentException("request " + r.id() + ": token id " + id + " outside vocab");
            }
        }
        for (int route : r.effectivePromptRoutes()) {
            if (route < Route.PAD || route >= Route.COUNT - 1) {
                throw new IllegalArgumentException("request " + r.id() + ": unknown route " + route);
            }
        }
    }
}
