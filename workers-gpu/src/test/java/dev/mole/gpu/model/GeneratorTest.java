package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestCheckpoints.defaults());
        MoleAdapters.install(model, MoleConfig.mole(16, 8));
        // adapters away from their init, so routes change the numbers
        int seed = 100;
        for (var spec : model.mole().adapters()) MoleInitTest.perturb(model, spec.name(), seed++);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void kvCacheAndFullRecomputeGenerateTheSameStream() {
        Generator g = new Generator(model);
        TokenizedSample p = RecordTokenizer.forModel(model, 4096).prompt("Write ```python\ndef add(x):\n```");
        List<Integer> streamed = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Generator.Result cached = g.generate(p.ids(), p.routes(), RoutePolicy.automated(), 24, true, (id, delta, route) -> {
            streamed.add(id);
            text.append(delta);
        });
        Generator.Result full = g.generate(p.ids(), p.routes(), RoutePolicy.automated(), 24, false, (id, d, r) -> {});
        assertThat(cached.tokens()).isEqualTo(full.tokens());
        assertThat(cached.routes()).isEqualTo(full.routes());
        assertThat(streamed.stream().mapToInt(Integer::intValue).toArray()).isEqualTo(cached.tokens());
        assertThat(text.toString()).isEqualTo(cached.text());
        assertThat(cached.stop()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(cached.tokens()).hasSize(24);
    }

    @Test
    void stopsAtTheStopToken() {
        TokenizedSample p = RecordTokenizer.forModel(model, 4096).prompt("Hello");
        Generator.Result free = new Generator(model).generate(p.ids(), p.routes(), RoutePolicy.automated(), 16, true, (a, b, c) -> {});
        int[] t = free.tokens();
        int j = 1;
        while (j < t.length && contains(t, j, t[j])) j++;
        assertThat(j).as("a token not seen before").isLessThan(t.length);
        Generator.Result stopped = new Generator(model, t[j]).generate(p.ids(), p.routes(), RoutePolicy.automated(), 16, true, (a, b, c) -> {});
        assertThat(stopped.stop()).isEqualTo(StopReason.EOS);
        assertThat(stopped.tokens()).isEqualTo(Arrays.copyOf(t, j));
    }

    static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    @Test
    void manualAndForcedRouting() {
        Generator g = new Generator(model);
        TokenizedSample p = RecordTokenizer.forModel(model, 4096).prompt("Write it");
        Generator.Result manual = g.generate(p.ids(), p.routes(), RoutePolicy.manual(Language.GO), 8, true, (a, b, c) -> {});
        assertThat(manual.routes()).containsOnly(Route.code(Language.GO));
        Generator.Result nl = g.generate(p.ids(), p.routes(), RoutePolicy.forced(Route.NL), 8, true, (a, b, c) -> {});
        Generator.Result rust = g.generate(p.ids(), p.routes(), RoutePolicy.forced(Route.code(Language.RUST)), 8, true, (a, b, c) -> {});
        assertThat(nl.routes()).containsOnly(Route.NL);
        assertThat(rust.routes()).containsOnly(Route.code(Language.RUST));
        // forcing also changes the prompt's routes, so the next-token distributions differ
        float[] a = model.nextLogits(p.ids(), Route.fill(p.length(), Route.NL), null);
        float[] b = model.nextLogits(p.ids(), Route.fill(p.length(), Route.code(Language.RUST)), null);
        assertThat(ForwardPassTest.maxDiff(a, b)).isGreaterThan(1e-3);
    }

    @Test
    void automatedRoutingLabelsGeneratedTextLikeTraining() {
        // feed the answer of a training record token by token: the router must give each token its training label
        RecordTokenizer rt = RecordTokenizer.forModel(model, 4096);
        TokenizedSample s = rt.tokenize(RecordTokenizerTest.recordFor()).orElseThrow();
        int first = 0;
        while (!s.lossMask()[first]) first++;
        FenceRouter router = new FenceRouter();
        String before = "";
        int codeTokens = 0;
        for (int i = first; i < s.length() - 1; i++) {
            long[] upto = new long[i - first + 1];
            for (int k = 0; k < upto.length; k++) upto[k] = s.ids()[first + k];
            String now = model.tokenizer().decode(upto, false);
            int route = router.next(now.substring(before.length()));
            before = now;
            assertThat(route).as("token %d '%s'", i, now).isEqualTo(s.routes()[i]);
            if (Route.isCode(route)) codeTokens++;
        }
        assertThat(codeTokens).isGreaterThan(10);
    }
}
