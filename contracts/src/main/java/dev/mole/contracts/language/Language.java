package dev.mole.contracts.language;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The eight programming languages that have an expert (docs/mole-protocol.md, "Model"), in the paper's Table I order,
 * which is also the expert order of the reference and of the per-token route codes. This is the platform's only
 * language type: curation labels records with it, training and inference route tokens by it, the sandbox runs programs
 * by it and evaluation names tasks by it. The ordinal is an expert index; anything persistent names a language by
 * {@link #id()}.
 *
 * <p>Six of them are in HumanEvalPack and can be executed by the sandbox ({@link #inHumanEvalPack()}); C and C# have an
 * expert but no benchmark.
 */
public enum Language {
    C("c", "C", "C", null, null),
    CPP("cpp", "C++", "C++", "cpp", "CPP"),
    CSHARP("csharp", "C#", "C#", null, null),
    GO("go", "Go", "Go", "go", "Go"),
    JAVA("java", "Java", "Java", "java", "Java"),
    JAVASCRIPT("javascript", "JavaScript", "JS", "js", "JavaScript"),
    PYTHON("python", "Python", "Python", "python", "Python"),
    RUST("rust", "Rust", "Rust", "rust", "Rust");

    private static final Language[] VALUES = values();
    private static final List<Language> HUMAN_EVAL_PACK = List.of(CPP, GO, JAVA, JAVASCRIPT, PYTHON, RUST);
    private static final Map<String, Language> ALIASES = aliasTable();

    private final String id;
    private final String displayName;
    private final String tableName;
    private final String humanEvalPackId;
    private final String taskPrefix;

    Language(String id, String displayName, String tableName, String humanEvalPackId, String taskPrefix) {
        this.id = id;
        this.displayName = displayName;
        this.tableName = tableName;
        this.humanEvalPackId = humanEvalPackId;
        this.taskPrefix = taskPrefix;
    }

    /** The canonical lower-case name: records, spans, adapter file names, reports, and the reference's exact fence tag. */
    public String id() {
        return id;
    }

    /** The language's own name ("JavaScript", "C++"), as HumanEvalPack's instructions write it. */
    public String displayName() {
        return displayName;
    }

    /** The short name the paper's Table I uses ("JS"). */
    public String tableName() {
        return tableName;
    }

    public boolean inHumanEvalPack() {
        return humanEvalPackId != null;
    }

    /** HumanEvalPack's name for it ({@code js}: {@code humanevalpack_js.jsonl}, sandbox batches); fails for C and C#. */
    public String humanEvalPackId() {
        requireHumanEvalPack();
        return humanEvalPackId;
    }

    /** The prefix of its HumanEvalPack task ids ({@code JavaScript/12}); fails for C and C#. */
    public String taskPrefix() {
        requireHumanEvalPack();
        return taskPrefix;
    }

    /** The language with this expert index (its ordinal). */
    public static Language at(int ordinal) {
        return VALUES[ordinal];
    }

    /** Number of languages, so of experts. */
    public static int count() {
        return VALUES.length;
    }

    /** The six HumanEvalPack languages, in the order above. */
    public static List<Language> humanEvalPack() {
        return HUMAN_EVAL_PACK;
    }

    /** Exact match of an id ({@code javascript}); fails naming the eight when it is none of them. */
    public static Language byId(String id) {
        Language l = exact(id);
        if (l == null) {
            throw new IllegalArgumentException("not one of the eight languages (" + ids() + "): " + id);
        }
        return l;
    }

    /** Exact match of an already lower-cased tag against the eight ids, as the reference matches fences; else null. */
    public static Language exact(String lowerCaseTag) {
        for (Language l : VALUES) {
            if (l.id.equals(lowerCaseTag)) {
                return l;
            }
        }
        return null;
    }

    /** A fence tag through the alias table ({@code py}, {@code c++}, {@code golang}, ...); tag already lower-cased. */
    public static Language resolveTag(String lowerCaseTag) {
        return ALIASES.get(lowerCaseTag);
    }

    /** Like {@link #resolveTag} for any case and surrounding blanks. */
    public static Optional<Language> fromTag(String tag) {
        return Optional.ofNullable(ALIASES.get(tag.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * What a person or a request may name a language by: an id, an alias, HumanEvalPack's name ({@code js}), a task
     * prefix ({@code JavaScript}) or the enum name, any case. Fails with the accepted ids in the message.
     */
    public static Language parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no language given (expected one of " + ids() + ")");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        Language l = ALIASES.get(n);
        if (l != null) {
            return l;
        }
        for (Language c : VALUES) {
            if (c.name().toLowerCase(Locale.ROOT).equals(n) || (c.taskPrefix != null && c.taskPrefix.toLowerCase(Locale.ROOT).equals(n))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown language '" + name + "' (expected one of " + ids() + ")");
    }

    /** {@link #parse} that also requires a HumanEvalPack language, for evaluation and the sandbox. */
    public static Language parseHumanEvalPack(String name) {
        Language l = parse(name);
        l.requireHumanEvalPack();
        return l;
    }

    /**
     * Fence tags (lower-cased first word of the info string) that map to a language. Choices, and why:
     * <ul>
     *   <li>{@code h} is C (a header is C unless it says otherwise); {@code hpp}, {@code hh}, {@code hxx}, {@code h++} are C++.
     *   <li>{@code jsx}, {@code mjs}, {@code cjs}, {@code node}, {@code nodejs}, {@code node.js} are JavaScript: the code is
     *       JavaScript and the expert should see it. TypeScript is a different language and stays unknown.
     *   <li>{@code python2}/{@code py2} are Python: the syntax differences are small next to what the expert learns.
     *   <li>Shell sessions ({@code pycon}, {@code console}) and notebooks are not aliases: they are not plain source.
     * </ul>
     * HumanEvalPack's own {@code js} is an alias, so its names resolve like any fence tag.
     */
    public static Map<String, Language> aliases() {
        return ALIASES;
    }

    private static Map<String, Language> aliasTable() {
        Map<String, Language> m = new LinkedHashMap<>();
        for (Language l : values()) {
            m.put(l.id, l);
        }
        put(m, C, "h");
        put(m, CPP, "c++", "cc", "cxx", "hpp", "hxx", "hh", "h++", "cplusplus");
        put(m, CSHARP, "c#", "cs", "c-sharp");
        put(m, GO, "golang");
        put(m, JAVASCRIPT, "js", "node", "nodejs", "node.js", "jsx", "mjs", "cjs");
        put(m, PYTHON, "py", "python3", "python2", "py3", "py2");
        put(m, RUST, "rs");
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, Language> m, Language l, String... aliases) {
        for (String a : aliases) {
            m.put(a, l);
        }
    }

    private void requireHumanEvalPack() {
        if (humanEvalPackId == null) {
            throw new IllegalArgumentException(id + " is not a HumanEvalPack language (expected one of "
                    + HUMAN_EVAL_PACK.stream().map(Language::id).toList() + ")");
        }
    }

    private static List<String> ids() {
        return java.util.Arrays.stream(VALUES).map(Language::id).toList();
    }

    @Override
    public String toString() {
        return id.toUpperCase(Locale.ROOT);
    }
}
