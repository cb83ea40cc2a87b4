package dev.mole.orchestrator.curation.internal;

import java.util.Locale;

/**
 * The eight languages that have an expert (MOLE.md section 3), in the paper's Table I order. The ordinal is part of
 * nothing persistent: plans and checkpoints name languages by {@link #id()}.
 */
public enum Language {
    C("c", "C"),
    CPP("cpp", "C++"),
    CSHARP("csharp", "C#"),
    GO("go", "Go"),
    JAVA("java", "Java"),
    JAVASCRIPT("javascript", "JS"),
    PYTHON("python", "Python"),
    RUST("rust", "Rust");

    private static final Language[] VALUES = values();

    private final String id;
    private final String displayName;

    Language(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The canonical lower-case name used in records, spans and reports (also the reference's exact tag). */
    public String id() {
        return id;
    }

    /** The name the paper's Table I uses. */
    public String displayName() {
        return displayName;
    }

    public static Language byId(String id) {
        for (Language l : VALUES) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("not one of the eight languages: " + id);
    }

    /** Exact match of an already lower-cased tag against the eight ids; null when it is none of them. */
    public static Language exact(String lowerCaseTag) {
        for (Language l : VALUES) {
            if (l.id.equals(lowerCaseTag)) {
                return l;
            }
        }
        return null;
    }

    public static Language at(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }

    @Override
    public String toString() {
        return id.toUpperCase(Locale.ROOT);
    }
}
