package dev.mole.sandbox;

import java.util.Arrays;
import java.util.Locale;

/** The six HumanEvalPack languages, with the prefix their task ids carry and the name programs use. */
public enum Language {
    CPP("cpp", "CPP"),
    GO("go", "Go"),
    JAVA("java", "Java"),
    JS("js", "JavaScript"),
    PYTHON("python", "Python"),
    RUST("rust", "Rust");

    private final String id;
    private final String taskPrefix;

    Language(String id, String taskPrefix) {
        this.id = id;
        this.taskPrefix = taskPrefix;
    }

    /** Lower-case name used in program batches and file names ({@code humanevalpack_<id>.jsonl}). */
    public String id() {
        return id;
    }

    public String taskPrefix() {
        return taskPrefix;
    }

    /** Accepts the id ({@code js}), the task prefix ({@code JavaScript}) or the enum name, any case. */
    public static Language parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(l -> l.id.equals(n) || l.taskPrefix.toLowerCase(Locale.ROOT).equals(n)
                        || l.name().toLowerCase(Locale.ROOT).equals(n) || (l == JS && n.equals("javascript")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown language: " + name
                        + " (expected one of cpp, go, java, js, python, rust)"));
    }
}
