package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The first MoLE correctness test (docs/mole-protocol.md section 2): after init, every route reproduces the base model's logits. */
class MoleInitTest {

    /** hidden 128 so that the union rank 64 is a real truncation of every projection (not full rank). */
    static final TinyCheckpointFactory.Options OPTS = TinyCheckpointFactory.Options.defaults().withSize(128, 2, 256).withSeed(11);
    static Path dir;
    static int[] ids;
    static float[][] base;

    @BeforeAll
    static void baseLogits() {
        dir = TestCheckpoints.get(OPTS);
        try (LlamaModel m = LlamaModel.load(dir)) {
            ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            base = m.logits(ids, null);
        }
    }

    static Stream<MoleConfig> configs() {
        List<MoleConfig> out = new ArrayList<>();
        int[][] splits = {{64, 0}, {56, 8}, {48, 16}, {32, 32}};
        for (int[] s : splits) {
            for (AdapterInit init : AdapterInit.values()) {
                out.add(MoleConfig.mole(s[0], s[1]).withInit(init));
            }
            out.add(MoleConfig.mole(s[0], s[1]).withLayout(MoleConfig.Layout.NL_EXPERT));
        }
        out.add(MoleConfig.single(64));
        out.add(MoleConfig.single(64).withInit(AdapterInit.STD));
        return out.stream();
    }

    /** Every route a code or NL token can take: all NL, all of one language (x8), and a mix (padding excluded: it sees W_res only). */
    static List<int[]> routings(int n) {
        List<int[]> r = new ArrayList<>();
        r.add(Route.fill(n, Route.NL));
        for (Language l : Language.values()) r.add(Route.fill(n, Route.code(l)));
        int[] mixed = new int[n];
        for (int i = 0; i < n; i++) mixed[i] = i % 3 == 0 ? Route.NL : Route.code(Language.values()[i % 8]);
        r.add(mixed);
        return r;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void initialisedModelReproducesBaseLogits(MoleConfig cfg) {
        assertThat(SvdMethod.DEFAULT).isEqualTo(SvdMethod.RANDOMIZED);
        try (LlamaModel m = LlamaModel.load(dir)) {
            long t0 = System.nanoTime();
            MoleAdapters.install(m, cfg); // the default, randomised SVD
            System.out.printf("  (install %d ms)%n", (System.nanoTime() - t0) / 1_000_000);
            double max = 0;
            t0 = System.nanoTime();
            for (int[] routes : routings(ids.length)) max = Math.max(max, maxDiff(base, m.logits(ids, routes)));
            System.out.printf("  (%d forwards in %d ms)%n", routings(ids.length).size(), (System.nanoTime() - t0) / 1_000_000);
            System.out.printf("init %s/%d+%d/%s: max |logit - base| = %.3e%n", cfg.layout(), cfg.sharedRank(), cfg.expertRank(), cfg.init(), max);
            assertThat(max).isLessThan(1e-4);
        }
    }

    static Stream<MoleConfig> exactConfigs() {
        return Stream.of(MoleConfig.mole(48, 16), MoleConfig.mole(32, 32).withInit(AdapterInit.SHARED_LAST),
                MoleConfig.mole(56, 8).withLayout(MoleConfig.Layout.NL_EXPERT), MoleConfig.single(64));
    }

    @ParameterizedTest
    @MethodSource("exactConfigs")
    void exactSvdInitIsAlsoExact(MoleConfig cfg) {
        try (LlamaModel m = LlamaModel.load(dir)) {
            MoleAdapters.install(m, cfg, SvdMethod.EXACT);
            double max = 0;
            for (int[] routes : routings(ids.length)) max = Math.max(max, maxDiff(base, m.logits(ids, routes)));
            System.out.printf("init exact-SVD %s/%d+%d/%s: max |logit - base| = %.3e%n", cfg.layout(), cfg.sharedRank(), cfg.expertRank(),
                    cfg.init(), max);
            assertThat(max).isLessThan(1e-4);
        }
    }

    @Test
    void factorsFromTheCheckpointEqualFactorsFromTheLoadedModel() {
        // the SVD stage reads the checkpoint's files; in-process init reads the loaded model: both must be the same bits
        for (SvdMethod method : SvdMethod.values()) {
            PissaFactors fromFiles = PissaFactors.compute(dir, 64, method, ModelOptions.defaults(), null);
            try (LlamaModel m = LlamaModel.load(dir)) {
                PissaFactors fromModel = PissaFactors.compute(m, 64, method);
                assertThat(fromFiles.size()).isEqualTo(fromModel.size()).isEqualTo(6);
                for (int i = 0; i < fromFiles.size(); i++) {
                    assertThat(fromFiles.get(i).u()).as(method + " U " + i).isEqualTo(fromModel.get(i).u());
                    assertThat(fromFiles.get(i).s()).as(method + " S " + i).isEqualTo(fromModel.get(i).s());
                    assertThat(fromFiles.get(i).v()).as(method + " V " + i).isEqualTo(fromModel.get(i).v());
                }
            }
        }
    }

    @Test
    void routingSendsEachTokenThroughItsOwnAdapters() {
        try (LlamaModel m = LlamaModel.load(dir)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            perturb(m, "expert_python", 1);
            int n = ids.length;
            // only python tokens see the python expert; NL and other languages are untouched
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.code(Language.PYTHON))))).isGreaterThan(1e-2);
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.code(Language.RUST))))).isLessThan(1e-4);
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.NL)))).isLessThan(1e-4);
            perturb(m, "shared", 2);
            // shared is for code tokens only in MoLE: NL still equals base
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.code(Language.RUST))))).isGreaterThan(1e-2);
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.NL)))).isLessThan(1e-4);
            perturb(m, "nl", 3);
            assertThat(maxDiff(base, m.logits(ids, Route.fill(n, Route.NL)))).isGreaterThan(1e-2);
            // padding: W_res only, so it differs from base once adapters carry part of W
            float[][] pad = m.logits(ids, Route.fill(n, Route.PAD));
            assertThat(maxDiff(base, pad)).isGreaterThan(1e-2);
        }
    }

    @Test
    void groupedRoutingEqualsNaiveMaskedRouting() {
        try (LlamaModel m = LlamaModel.load(dir)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            int seed = 10;
            for (var spec : m.mole().adapters()) perturb(m, spec.name(), seed++);
            List<int[]> rs = routings(ids.length);
            int[] withPad = rs.get(rs.size() - 1).clone();
            for (int i = 4; i < withPad.length; i += 5) withPad[i] = Route.PAD;
            rs.add(withPad);
            for (int[] routes : rs) {
                m.setRouting(RoutingMode.NAIVE);
                float[][] naive = m.logits(ids, routes);
                m.setRouting(RoutingMode.GROUPED);
                float[][] grouped = m.logits(ids, routes);
                assertThat(maxDiff(naive, grouped)).isLessThan(1e-4);
                assertThat(maxDiff(base, grouped)).isGreaterThan(1e-3); // the adapters do something
            }
        }
    }

    @Test
    void kvCacheDecodingWithRoutesEqualsFullRecomputation() {
        try (LlamaModel m = LlamaModel.load(dir)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            int seed = 40;
            for (var spec : m.mole().adapters()) perturb(m, spec.name(), seed++);
            int[] routes = routings(ids.length).get(routings(ids.length).size() - 1);
            for (int i = 6; i < routes.length; i += 7) routes[i] = Route.PAD;
            float[][] full = m.logits(ids, routes);
            double max = 0;
            try (KvCache cache = m.newCache()) {
                int before = -1;
                for (int i = 0; i < ids.length; i++) {
                    float[] row = m.nextLogits(new int[] {ids[i]}, new int[] {routes[i]}, cache);
                    max = Math.max(max, ForwardPassTest.maxDiff(full[i], row));
                    // counted after the first step, once the cache (a sub-manager, counted too) holds one k/v per layer
                    if (i == 0) before = m.manager().getManagedArrays().size();
                }
                assertThat(m.manager().getManagedArrays().size()).isEqualTo(before);
            }
            System.out.printf("kv-cache vs full recompute with MoLE routes: max |logit diff| = %.3e%n", max);
            assertThat(max).isLessThan(1e-4);
        }
    }

    /** Adds noise to B of one adapter on every projection (in place), so it no longer matches its init. */
    static void perturb(LlamaModel m, String adapter, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 0; l < m.config().numLayers(); l++) {
            for (String p : new String[] {"gate_proj", "up_proj", "down_proj"}) {
                NDArray b = MoleAdapters.factorsOf(m, l, p, adapter)[1];
                float[] noise = new float[(int) b.size()];
                for (int i = 0; i < noise.length; i++) noise[i] = (float) (rnd.nextGaussian() * 0.05);
                try (NDArray nz = m.manager().create(noise, b.getShape())) {
                    b.addi(nz);
                }
            }
        }
    }

    static double maxDiff(float[][] a, float[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
        return m;
    }
}
