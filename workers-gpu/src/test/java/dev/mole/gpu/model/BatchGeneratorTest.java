package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched decoding gives, request by request, what {@link Generator} gives on the request alone. */
class BatchGeneratorTest {

    static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestCheckpoints.defaults());
        MoleAdapters.install(model, MoleConfig.mole(16, 8));
        // adapters away from their init, so routes change the numbers
        int seed = 300;
        for (var spec : model.mole().adapters()) MoleInitTest.perturb(model, spec.name(), seed++);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The training prompt for a question followed by a response prefix, its tokens routed like the router would. */
    static GenerationRequest request(String id, String question, String responsePrefix, RoutePolicy policy, int max, StopRule stop) {
        TokenizedSample p = RecordTokenizer.forModel(model, 4096).prompt(question);
        long[] prefix = responsePrefix.isEmpty() ? new long[0] : model.tokenizer().encode(responsePrefix, false, false).getIds();
        int[] ids = Arrays.copyOf(p.ids(), p.length() + prefix.length);
        int[] routes = Arrays.copyOf(p.routes(), ids.length);
        IncrementalDetokenizer text = new IncrementalDetokenizer(model.tokenizer());
        FenceRouter router = new FenceRouter();
        for (int i = 0; i < prefix.length; i++) {
            ids[p.length() + i] = (int) prefix[i];
            routes[p.length() + i] = router.next(text.push((int) prefix[i]));
        }
        return new GenerationRequest(id, ids, routes, policy, responsePrefix, max, stop);
    }

    static List<GenerationRequest> mixedRequests(int stopRuleAt) {
        List<GenerationRequest> r = new ArrayList<>();
        r.add(request("auto", "Write a function", "", RoutePolicy.automated(), 14, null));
        r.add(request("auto-prefix", "Write ```python\ndef add(x):\n``` in the code", "```python\ndef add(x, n):\n",
                RoutePolicy.automated(), 20, null));
        r.add(request("go", "Write it", "", RoutePolicy.manual(Language.GO), 7, null));
        r.add(request("rust", "You are to add the value of a list in rust and return the sum of it", "",
                RoutePolicy.manual(Language.RUST), 16, null));
        r.add(request("nl", "Here is the code", "", RoutePolicy.forced(Route.NL), 9, null));
        r.add(request("java", "Write a public static void main", "", RoutePolicy.forced(Route.code(Language.JAVA)), 5, null));
        r.add(request("stop-rule", "Write a function in python", "", RoutePolicy.manual(Language.PYTHON), 30,
                t -> t.length() >= stopRuleAt ? stopRuleAt - 1 : -1));
        r.add(request("one", "x", "", RoutePolicy.manual(Language.CPP), 1, null));
        r.add(request("long", "Write a function that consistently delivers the sum of a list in c; " + "x + n ".repeat(12), "",
                RoutePolicy.manual(Language.C), 12, null));
        r.add(request("js", "Write ```javascript\nconst x = 1\n```", "```javascript\n", RoutePolicy.automated(), 11, null));
        r.add(request("cpp", "Write it in cpp", "", RoutePolicy.manual(Language.CPP), 13, null));
        return r;
    }

    static Generation alone(GenerationRequest r, int stopToken) {
        return new Generator(model, stopToken).generate(r, true, (a, b, c) -> {});
    }

    @Test
    void batchedResultsEqualEachRequestAlone() {
        // a stop token the first request meets mid-way, so some sequences end by eos while others run on
        int[] free = alone(mixedRequests(1000).get(0), -1).tokens();
        int j = 1;
        while (j < free.length && GeneratorTest.contains(free, j, free[j])) j++;
        assertThat(j).as("a token not seen before").isLessThan(free.length);
        int stopToken = free[j];
        // the stop rule fires half-way through the text the rule's request makes without it
        String uncut = alone(mixedRequests(Integer.MAX_VALUE).get(6), stopToken).text();
        assertThat(uncut.length()).isGreaterThan(8);
        int stopRuleAt = uncut.length() / 2;
        List<GenerationRequest> requests = mixedRequests(stopRuleAt);
        List<Generation> expected = new ArrayList<>();
        for (GenerationRequest r : requests) expected.add(alone(r, stopToken));
        Set<StopReason> reasons = EnumSet.noneOf(StopReason.class);
        expected.forEach(g -> reasons.add(g.stop()));
        assertThat(reasons).as("the requests end every way").containsExactlyInAnyOrder(StopReason.values());
        Generation cut = expected.get(6);
        assertThat(cut.stop()).isEqualTo(StopReason.STOP_RULE);
        assertThat(cut.cutAt()).isEqualTo(stopRuleAt - 1);
        assertThat(cut.tokens().length).isLessThan(30);

        int arraysBefore = model.manager().getManagedArrays().size();
        for (int maxBatch : new int[] {3, 16}) {
            BatchGenerator generator = new BatchGenerator(model, maxBatch, stopToken);
            List<Generation> batched = generator.generate(requests);
            assertThat(generator.stats().prefills()).isEqualTo(requests.size());
            // with every request admitted at once, prompts of similar lengths really were prefilled together
            if (maxBatch >= requests.size()) assertThat(generator.stats().prefillPasses()).isLessThan(requests.size());
            assertThat(batched).hasSize(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                Generation e = expected.get(i), b = batched.get(i);
                String what = "request " + requests.get(i).id() + ", batch " + maxBatch;
                assertThat(b.id()).isEqualTo(e.id());
                assertThat(b.tokens()).as(what).isEqualTo(e.tokens());
                assertThat(b.routes()).as(what).isEqualTo(e.routes());
                assertThat(b.text()).as(what).isEqualTo(e.text());
                assertThat(b.cutAt()).as(what).isEqualTo(e.cutAt());
                assertThat(b.stop()).as(what).isEqualTo(e.stop());
            }
        }
        assertThat(model.manager().getManagedArrays().size()).as("arrays left behind").isEqualTo(arraysBefore);
        // the routes really are mixed: code routes of several languages and NL among the generated tokens
        assertThat(expected.get(2).routes()).containsOnly(Route.code(Language.GO));
        assertThat(expected.get(4).routes()).containsOnly(Route.NL);
        assertThat(expected.get(1).routes()).contains(Route.code(Language.PYTHON));
    }

    /**
     * The batched prefill and the decoding step themselves: prompts of mixed lengths and routes prefilled in one packed
     * pass give each prompt's own last logits; then rows at different positions with mixed routes, a row leaving mid-way (the
     * last row moves into its slot) and one joining by a prefill of its own, the cache growing past its first capacity;
     * every row's logits equal its own single-sequence KV-cache step.
     */
    @Test
    void prefillAndDecodeStepLogitsEqualEachRowsOwnCachedSteps() {
        int[] all = TestCheckpoints.sampleIds(model, TestCheckpoints.TEXT);
        int v = model.config().vocabSize();
        List<int[]> prompts = List.of(Arrays.copyOf(all, 5), Arrays.copyOfRange(all, 2, 30), Arrays.copyOf(all, 1),
                Arrays.copyOfRange(all, 7, 19));
        List<KvCache> alone = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>(); // batch row -> prompt
        double maxPrefill = 0, max = 0;
        try (BatchKvCache batch = model.newBatchCache(3)) {
            List<float[]> own = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                alone.add(model.newCache());
                own.add(model.nextLogits(prompts.get(p), routesFor(prompts.get(p).length, p), alone.get(p)));
                rowOf.add(p);
            }
            float[] together = prefill(batch, prompts.subList(0, 3), 0);
            for (int p = 0; p < 3; p++) {
                for (int k = 0; k < v; k++) maxPrefill = Math.max(maxPrefill, Math.abs(own.get(p)[k] - together[p * v + k]));
            }
            assertThat(batch.lengths()).containsExactly(5, 28, 1);
            for (int stepNo = 0; stepNo < 24; stepNo++) {
                if (stepNo == 3) { // row 0 leaves, prompt 3 joins
                    batch.remove(0);
                    rowOf.set(0, rowOf.remove(rowOf.size() - 1));
                    alone.add(model.newCache());
                    float[] ownLast = model.nextLogits(prompts.get(3), routesFor(prompts.get(3).length, 3), alone.get(3));
                    float[] joined = prefill(batch, prompts.subList(3, 4), 3);
                    for (int k = 0; k < v; k++) maxPrefill = Math.max(maxPrefill, Math.abs(ownLast[k] - joined[k]));
                    rowOf.add(3);
                }
                int b = rowOf.size();
                int[] ids = new int[b], routes = new int[b];
                for (int i = 0; i < b; i++) {
                    ids[i] = all[(stepNo * 7 + i * 3) % all.length];
                    routes[i] = (stepNo + i) % 3 == 0 ? Route.NL : Route.code(Language.values()[(stepNo + 2 * i) % 8]);
                }
                float[] batched;
                try (var step = model.manager().newSubManager()) {
                    batched = dev.mole.gpu.model.internal.Tensors.floats(model.decodeStep(step, ids, routes, batch));
                }
                for (int i = 0; i < b; i++) {
                    float[] ownStep = model.nextLogits(new int[] {ids[i]}, new int[] {routes[i]}, alone.get(rowOf.get(i)));
                    for (int k = 0; k < v; k++) max = Math.max(max, Math.abs(ownStep[k] - batched[i * v + k]));
                }
            }
            assertThat(batch.lengths()).containsExactlyInAnyOrder(30 - 2 + 24, 1 + 24, 19 - 7 + 21);
        } finally {
            alone.forEach(KvCache::close);
        }
        System.out.printf("batched prefill vs own prefill: max |logit diff| = %.3e; batched decode step vs own KV-cache step:"
                + " %.3e%n", maxPrefill, max);
        assertThat(maxPrefill).isLessThan(1e-4);
        assertThat(max).isLessThan(1e-4);
    }

    /** Prefills prompts (prompt i routed by {@code routesFor(len, salt + i)}) as new rows in one pass: last logits. */
    static float[] prefill(BatchKvCache batch, List<int[]> prompts, int salt) {
        int[][] routes = new int[prompts.size()][];
        for (int i = 0; i < routes.length; i++) routes[i] = routesFor(prompts.get(i).length, salt + i);
        try (var step = model.manager().newSubManager()) {
            return dev.mole.gpu.model.internal.Tensors.floats(model.prefill(step, prompts.toArray(int[][]::new), routes, batch));
        }
    }

    /** Prefill passes: queue order, each within the position cap, a prompt longer than the cap alone. */
    @Test
    void promptsArePrefilledInPassesWithinThePositionCap() {
        int cap = BatchGenerator.PREFILL_POSITIONS;
        int[] lengths = {10, cap - 20, 12, 9, cap + 5, 3, cap / 2, cap / 2};
        List<GenerationRequest> rs = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            rs.add(new GenerationRequest("p" + i, new int[lengths[i]], null, RoutePolicy.forced(Route.NL), "", 1, null));
        }
        assertThat(BatchGenerator.passes(List.of(0, 1, 2, 3, 4, 5, 6, 7), rs))
                .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4), List.of(5, 6), List.of(7));
        assertThat(BatchGenerator.passes(List.of(), rs)).isEmpty();
    }

    /** Greedy rows take the argmax on the tensor side: the lowest index among equal maxima, as {@link TokenSampler}. */
    @Test
    void tensorSideArgmaxTakesTheFirstOfEqualMaxima() {
        float[] row = new float[4096];
        row[700] = 3f;
        row[2500] = 3f;
        row[4000] = 3f;
        try (var step = model.manager().newSubManager()) {
            long[] got = step.create(row, new ai.djl.ndarray.types.Shape(1, row.length)).argMax(1).toLongArray();
            assertThat(got).containsExactly(TokenSampler.argmax(row));
        }
        assertThat(TokenSampler.argmax(row)).isEqualTo(700);
    }

    static int[] routesFor(int n, int salt) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = (i + salt) % 4 == 0 ? Route.NL : Route.code(Language.values()[(i + salt) % 8]);
        return r;
    }

    @Test
    void seededSamplingIsReproducibleAndIndependentOfTheBatch() {
        List<GenerationRequest> sampled = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            sampled.add(request("s" + s, "Write a function", "", RoutePolicy.automated(), 16, null)
                    .withSampling(Sampling.of(1.5, s % 2 == 0 ? 0.9 : 1.0, 1000 + s)));
        }
        List<Generation> alone = sampled.stream().map(r -> alone(r, -1)).toList();
        List<GenerationRequest> mixA = new ArrayList<>(sampled);
        mixA.addAll(mixedRequests(1000).subList(0, 3));
        List<GenerationRequest> mixB = new ArrayList<>(mixedRequests(1000).subList(3, 9));
        for (int i = sampled.size() - 1; i >= 0; i--) mixB.add(i * 2, sampled.get(i));
        List<Generation> a = new BatchGenerator(model, 3, -1).generate(mixA);
        List<Generation> b = new BatchGenerator(model, 16, -1).generate(mixB);
        for (Generation g : alone) {
            assertThat(find(a, g.id()).tokens()).as(g.id()).isEqualTo(g.tokens());
            assertThat(find(b, g.id()).tokens()).as(g.id()).isEqualTo(g.tokens());
            assertThat(find(b, g.id()).text()).isEqualTo(g.text());
        }
        assertThat(alone(sampled.get(0), -1).tokens()).as("same seed, same tokens").isEqualTo(alone.get(0).tokens());
        int[] greedy = alone(request("g", "Write a function", "", RoutePolicy.automated(), 16, null), -1).tokens();
        assertThat(alone.stream().map(Generation::tokens).filter(t -> !Arrays.equals(t, greedy)).count())
                .as("sampling departs from greedy").isGreaterThan(0);
        assertThat(alone.stream().map(g -> Arrays.toString(g.tokens())).distinct().count()).as("seeds differ").isGreaterThan(1);
    }

    static Generation find(List<Generation> gs, String id) {
        return gs.stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void badRequestsFailWithAClearMessage() {
        int[] ids = {0, 5, 6};
        assertThatThrownBy(() -> new GenerationRequest("a", new int[0], new int[0], RoutePolicy.automated(), "", 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request a").hasMessageContaining("empty prompt");
        assertThatThrownBy(() -> new GenerationRequest("b", ids, new int[2], RoutePolicy.automated(), "", 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 prompt routes for 3 prompt tokens");
        assertThatThrownBy(() -> new GenerationRequest("c", ids, null, RoutePolicy.manual(Language.GO), "", 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt routes are needed");
        assertThatThrownBy(() -> new GenerationRequest("d", ids, new int[3], RoutePolicy.automated(), "", 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNewTokens must be >= 1, got 0");
        assertThatThrownBy(() -> Sampling.of(-1, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampling.of(1, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP");
        assertThatThrownBy(() -> new BatchGenerator(model, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
        GenerationRequest ok = new GenerationRequest("ok", ids, new int[3], RoutePolicy.automated(), "", 2, null);
        GenerationRequest outside = new GenerationRequest("outside", new int[] {0, 1 << 20}, null, RoutePolicy.forced(Route.NL), "", 2, null);
        assertThatThrownBy(() -> new BatchGenerator(model, 4).generate(List.of(ok, outside)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request outside").hasMessageContaining("outside vocab");
        GenerationRequest badRoute = new GenerationRequest("route", ids, new int[] {0, 0, 99}, RoutePolicy.automated(), "", 2, null);
        assertThatThrownBy(() -> new BatchGenerator(model, 4).generate(List.of(ok, badRoute)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request route: unknown route 99");
        GenerationRequest badRule = new GenerationRequest("rule", ids, new int[3], RoutePolicy.automated(), "", 8, t -> t.length() + 1);
        assertThatThrownBy(() -> new BatchGenerator(model, 4).generate(List.of(badRule)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stop rule of request rule");
        assertThat(new BatchGenerator(model, 4).generate(List.of())).isEmpty();
    }
}
