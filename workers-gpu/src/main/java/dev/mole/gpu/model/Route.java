package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;

/**
 * Per-token route codes (docs/mole-protocol.md section 1): {@link #PAD} uses W_res only, {@link #NL} the natural-language path,
 * {@code code(l)} shared + expert l. Routes are plain ints so per-token arrays stay cheap.
 */
public final class Route {
    public static final int PAD = -1;
    public static final int NL = 0;
    /** Number of distinct routes including PAD. */
    public static final int COUNT = 2 + Language.values().length;

    private Route() {}

    public static int code(Language l) {
        return 1 + l.ordinal();
    }

    public static boolean isCode(int route) {
        return route >= 1 && route <= Language.values().length;
    }

    public static Language language(int route) {
        if (!isCode(route)) throw new IllegalArgumentException("route " + route + " is not a code route");
        return Language.values()[route - 1];
    }

    /** Dense index 0..COUNT-1 (PAD=0, NL=1, languages 2..) for tables. */
    public static int slot(int route) {
        if (route < PAD || route > Language.values().length) throw new IllegalArgumentException("unknown route " + route);
        return route + 1;
    }

    public static String name(int route) {
        return route == PAD ? "pad" : route == NL ? "nl" : language(route).id();
    }

    public static int[] fill(int length, int route) {
        int[] r = new int[length];
        java.util.Arrays.fill(r, route);
        return r;
    }
}
