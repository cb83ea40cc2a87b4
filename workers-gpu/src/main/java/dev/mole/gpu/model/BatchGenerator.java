package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
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
 * [rows, hidden] tokens, each row at its own position with its own cached keys, MoLE routes per row), and queued requests
 * take rows as soon as rows are free (continuous batching), so no compute goes to finished sequences. The prompts that
 * take free rows are prefilled together: packed back to back without padding into passes of at most
 * {@link #PREFILL_POSITIONS} positions, each pass one forward that writes its prompts' keys and values straight into
 * their rows ({@link LlamaModel#prefill}). Greedy rows pick their token where the logits are (argmax on the tensor
 * side), so only rows that sample copy their logits to Java. Tokens, routes and text are those of {@link Generator} run
 * on each request alone (same picking, routing and detokenising, {@code GenerationState}); logits differ from it by
 * float rounding only (docs/architecture.md, data flow of an evaluation: batched generation).
 */
public final class BatchGenerator {

    /** Prompt positions one prefill pass may take (bounds its activations); a longer prompt gets a pass of its own. */
    static final int PREFILL_POSITIONS = 8192;

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
     * Where the time went, summed over this generator's calls: prefills ({@code prefills} prompts in
     * {@code prefillPasses} forward passes) and decoding steps, in wall time and in the calling thread's CPU time (with
     * one libtorch thread that is the compute itself, whatever else runs on the machine). {@code rowSteps / steps} is
     * the mean number of rows per step; {@code rowCpuNanos} is the part of the decoding CPU time spent on the Java side
     * of the rows (picking sampled tokens, detokenising, routing, stop rules), the rest being the forward pass.
     */
    public record Stats(long prefills, long prefillPasses, long prefillNanos, long prefillCpuNanos, long steps, long rowSteps,
                        long decodeNanos, long decodeCpuNanos, long rowCpuNanos) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long prefills, prefillPasses, prefillNanos, prefillCpuNanos, steps, rowSteps, decodeNanos, decodeCpuNanos, rowCpuNanos;

    public Stats stats() {
        return new Stats(prefills, prefillPasses, prefillNanos, prefillCpuNanos, steps, rowSteps, decodeNanos, decodeCpuNanos,
                rowCpuNanos);
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

    /** Prefills queued requests into free rows, in passes; one that ends with its first token gives its row back. */
    private void admit(List<GenerationRequest> requests, Deque<Integer> queue, List<Row> rows, BatchKvCache cache,
                       Results out) {
        while (rows.size() < cache.slots() && !queue.isEmpty()) {
            List<Integer> taken = new ArrayList<>();
            while (rows.size() + taken.size() < cache.slots() && !queue.isEmpty()) taken.add(queue.poll());
            for (List<Integer> pass : passes(taken, requests)) prefill(pass, requests, rows, cache, out);
        }
    }

    /**
     * Cuts prompts into prefill passes in queue order, each within {@link #PREFILL_POSITIONS} (a longer prompt gets a
     * pass of its own). Prompts are packed without padding, so their lengths need not match.
     */
    static List<List<Integer>> passes(List<Integer> taken, List<GenerationRequest> requests) {
        List<List<Integer>> passes = new ArrayList<>();
        List<Integer> pass = new ArrayList<>();
        long positions = 0;
        for (int r : taken) {
            int len = requests.get(r).promptIds().length;
            if (!pass.isEmpty() && positions + len > PREFILL_POSITIONS) {
                passes.add(pass);
                pass = new ArrayList<>();
                positions = 0;
            }
            pass.add(r);
            positions += len;
        }
        if (!pass.isEmpty()) passes.add(pass);
        return passes;
    }

    /** One prefill pass: the prompts take the next rows, and those that finish with their first token leave again. */
    private void prefill(List<Integer> pass, List<GenerationRequest> requests, List<Row> rows, BatchKvCache cache,
                         Results out) {
        long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        int n = pass.size();
        int[][] ids = new int[n][], routes = new int[n][];
        GenerationState[] states = new GenerationState[n];
        for (int j = 0; j < n; j++) {
            GenerationRequest req = requests.get(pass.get(j));
            ids[j] = req.promptIds();
            routes[j] = req.effectivePromptRoutes();
            states[j] = new GenerationState(model, req, stopToken);
        }
        int first = rows.size();
        Picks picks;
        try (NDManager step = model.manager().newSubManager()) {
            picks = Picks.of(model.prefill(step, ids, routes, cache), states);
        }
        for (int j = 0; j < n; j++) rows.add(new Row(pass.get(j), states[j], picks.next(j, states[j])));
        for (int j = n - 1; j >= 0; j--) { // descending: a row moved into a freed slot has been looked at already
            if (states[j].finished()) leave(first + j, rows, cache, out);
        }
        prefills += n;
        prefillPasses++;
        prefillNanos += System.nanoTime() - w0;
        prefillCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
    }

    /** One token for every row; finished rows leave the batch (the last row takes the slot, as in the cache). */
    private void step(List<Row> rows, BatchKvCache cache, Results out) {
        long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        int b = rows.size();
        int[] ids = new int[b], routes = new int[b];
        GenerationState[] states = new GenerationState[b];
        for (int i = 0; i < b; i++) {
            ids[i] = rows.get(i).pending().token();
            routes[i] = rows.get(i).pending().route();
            states[i] = rows.get(i).state();
        }
        Picks picks;
        try (NDManager step = model.manager().newSubManager()) {
            picks = Picks.of(model.decodeStep(step, ids, routes, cache), states);
        }
        long r0 = THREADS.getCurrentThreadCpuTime();
        for (int i = b - 1; i >= 0; i--) { // descending: the row moved into a freed slot has been stepped already
            Row row = rows.get(i);
            GenerationState.Emitted e = picks.next(i, row.state());
            if (row.state().finished()) {
                leave(i, rows, cache, out);
            } else {
                rows.set(i, new Row(row.request(), row.state(), e));
            }
        }
        long c1 = THREADS.getCurrentThreadCpuTime();
        steps++;
        rowSteps += b;
        decodeNanos += System.nanoTime() - w0;
        decodeCpuNanos += c1 - c0;
        rowCpuNanos += c1 - r0;
    }

    /** A finished row leaves: its generation is out, the last row takes its slot. */
    private static void leave(int i, List<Row> rows, BatchKvCache cache, Results out) {
        Row row = rows.get(i);
        out.put(row.request(), row.state().generation());
        cache.remove(i);
        Row last = rows.remove(rows.size() - 1);
        if (i < rows.size()) rows.set(i, last);
    }

    /**
     * A pass's logits [rows, vocab] brought to Java as little as possible: every row's argmax (one long per row), and the
     * full logits only when some row samples.
     */
    private record Picks(long[] argmax, float[] logits, int vocab) {
        static Picks of(NDArray logits, GenerationState[] states) {
            boolean sampling = false;
            for (GenerationState s : states) sampling |= !s.greedy();
            int vocab = (int) logits.getShape().get(1);
            long[] argmax;
            try (NDArray a = logits.argMax(1)) { // first maximum on ties, as TokenSampler.argmax
                argmax = a.toLongArray();
            }
            return new Picks(argmax, sampling ? Tensors.floats(logits) : null, vocab);
        }

        GenerationState.Emitted next(int row, GenerationState state) {
            return state.greedy() ? state.nextGreedy((int) argmax[row])
                    : state.next(Arrays.copyOfRange(logits, row * vocab, (row + 1) * vocab));
        }
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
