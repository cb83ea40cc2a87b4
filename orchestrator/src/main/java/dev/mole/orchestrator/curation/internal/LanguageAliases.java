package dev.mole.orchestrator.curation.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fence tags (lower-cased first word of the info string) that NORMALIZED mode maps to one of the eight languages.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>{@code h} is C (a header is C unless it says otherwise); {@code hpp}, {@code hh}, {@code hxx}, {@code h++} are C++.
 *   <li>{@code jsx}, {@code mjs}, {@code cjs}, {@code node}, {@code nodejs}, {@code node.js} are JavaScript: the code is
 *       JavaScript and the expert should see it. TypeScript ({@code ts}, {@code typescript}) is a different language and
 *       stays unknown, so such samples are dropped like in the reference.
 *   <li>{@code python2}/{@code py2} are Python: the syntax differences are small next to what the expert learns.
 *   <li>Shell sessions ({@code pycon}, {@code console}) and notebooks are not aliases: they are not plain source.
 * </ul>
 * Anything not listed is unknown, and a sample with an unknown tag is dropped whole (reference behaviour).
 */
public final class LanguageAliases {

    private static final Map<String, Language> ALIASES;

    static {
        Map<String, Language> m = new LinkedHashMap<>();
        for (Language l : Language.values()) {
            m.put(l.id(), l);
        }
        put(m, Language.C, "h");
        put(m, Language.CPP, "c++", "cc", "cxx", "hpp", "hxx", "hh", "h++", "cplusplus");
        put(m, Language.CSHARP, "c#", "cs", "c-sharp");
        put(m, Language.GO, "golang");
        put(m, Language.JAVASCRIPT, "js", "node", "nodejs", "node.js", "jsx", "mjs", "cjs");
        put(m, Language.PYTHON, "py", "python3", "python2", "py3", "py2");
        put(m, Language.RUST, "rs");
        ALIASES = Collections.unmodifiableMap(m);
    }

    private LanguageAliases() {}

    private static void put(Map<String, Language> m, Language l, String... aliases) {
        for (String a : aliases) {
            m.put(a, l);
        }
    }

    /** The language of a lower-cased tag, or null when the tag is not in the table. */
    public static Language resolve(String lowerCaseTag) {
        return ALIASES.get(lowerCaseTag);
    }

    /** The whole table, alias to language, for documentation and the report. */
    public static Map<String, Language> table() {
        return ALIASES;
    }
}
