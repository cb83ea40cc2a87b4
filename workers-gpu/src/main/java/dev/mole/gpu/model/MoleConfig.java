package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapter layout on gate/up/down (docs/mole-protocol.md sections 1-2).
 *
 * <ul>
 *   <li>{@link Layout#MOLE}: shared (r_s) + one expert per language (r_e) + nl (r_s + r_e); code -> shared + expert,
 *       NL -> nl.</li>
 *   <li>{@link Layout#NL_EXPERT}: no nl adapter; NL is a 9th expert of rank r_e added to shared.</li>
 *   <li>{@link Layout#SINGLE}: one LoRA of rank r_s for every non-padding token (AllLang / PerLang baselines).</li>
 * </ul>
 * Scale is rsLoRA: alpha / sqrt(r).
 */
public record MoleConfig(Layout layout, int sharedRank, int expertRank, double sharedAlpha, double expertAlpha,
                         double nlAlpha, AdapterInit init, long seed) {

    public enum Layout { MOLE, NL_EXPERT, SINGLE }

    /** One adapter of a layout: its name, rank, alpha and the slice [start, start+rank) of the SVD it starts from. */
    public record AdapterSpec(String name, int rank, double alpha, int sliceStart) {
        public double scale() {
            return alpha / Math.sqrt(rank);
        }
    }

    public MoleConfig {
        if (sharedRank < 0 || expertRank < 0) throw new IllegalArgumentException("ranks must be >= 0");
        if (layout == Layout.SINGLE && (sharedRank == 0 || expertRank != 0)) {
            throw new IllegalArgumentException("a single LoRA has one rank > 0 and no experts");
        }
        if (sharedRank + expertRank == 0) throw new IllegalArgumentException("total rank must be > 0");
    }

    /** MoLE with the reference's alphas (shared 32, experts 16, nl 32); 48+16 is the paper's default. */
    public static MoleConfig mole(int sharedRank, int expertRank) {
        return new MoleConfig(Layout.MOLE, sharedRank, expertRank, 32, 16, 32, AdapterInit.SHARED_FIRST, 1234L);
    }

    public static MoleConfig single(int rank) {
        return new MoleConfig(Layout.SINGLE, rank, 0, 32, 0, 0, AdapterInit.SHARED_FIRST, 1234L);
    }

    public MoleConfig withInit(AdapterInit i) {
        return new MoleConfig(layout, sharedRank, expertRank, sharedAlpha, expertAlpha, nlAlpha, i, seed);
    }

    public MoleConfig withLayout(Layout l) {
        return new MoleConfig(l, sharedRank, expertRank, sharedAlpha, expertAlpha, nlAlpha, init, seed);
    }

    /** k: the number of singular components the adapters start from (the union of all slices). */
    public int unionRank() {
        return sharedRank + expertRank;
    }

    /** Adapters in a fixed order: shared (if r_s > 0), experts c..rust (if r_e > 0), then nl / nl expert. */
    public List<AdapterSpec> adapters() {
        List<AdapterSpec> out = new ArrayList<>();
        if (layout == Layout.SINGLE) {
            out.add(new AdapterSpec("lora", sharedRank, sharedAlpha, 0));
            return out;
        }
        boolean sharedFirst = init != AdapterInit.SHARED_LAST;
        int sharedStart = sharedFirst ? 0 : expertRank;
        int expertStart = sharedFirst ? sharedRank : 0;
        if (sharedRank > 0) out.add(new AdapterSpec("shared", sharedRank, sharedAlpha, sharedStart));
        if (expertRank > 0) {
            for (Language l : Language.values()) out.add(new AdapterSpec("expert_" + l.id(), expertRank, expertAlpha, expertStart));
        }
        if (layout == Layout.MOLE) out.add(new AdapterSpec("nl", unionRank(), nlAlpha, 0));
        else if (expertRank > 0) out.add(new AdapterSpec("expert_nl", expertRank, expertAlpha, expertStart));
        return out;
    }

    /** For each route slot ({@link Route#slot}), the indices into {@link #adapters()} it applies. */
    public int[][] routeTable() {
        List<AdapterSpec> specs = adapters();
        int[][] table = new int[Route.COUNT][];
        table[Route.slot(Route.PAD)] = new int[0];
        for (int slot = 1; slot < Route.COUNT; slot++) {
            int route = slot - 1;
            List<Integer> use = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                String n = specs.get(i).name();
                boolean applies = switch (layout) {
                    case SINGLE -> true;
                    case MOLE -> route == Route.NL ? n.equals("nl")
                            : n.equals("shared") || n.equals("expert_" + Route.language(route).id());
                    case NL_EXPERT -> n.equals("shared") || n.equals(route == Route.NL ? "expert_nl"
                            : "expert_" + Route.language(route).id());
                };
                if (applies) use.add(i);
            }
            table[slot] = use.stream().mapToInt(Integer::intValue).toArray();
        }
        return table;
    }
}
