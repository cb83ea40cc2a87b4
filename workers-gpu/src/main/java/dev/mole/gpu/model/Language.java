package dev.mole.gpu.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The eight programming languages that get an expert (MOLE.md section 1), in the reference's expert order. */
public enum Language {
    C, CPP, CSHARP, GO, JAVA, JAVASCRIPT, PYTHON, RUST;

    private static final Map<String, Language> ALIASES = Map.ofEntries(
            Map.entry("c", C), Map.entry("h", C),
            Map.entry("cpp", CPP), Map.entry("c++", CPP), Map.entry("cc", CPP), Map.entry("cxx", CPP), Map.entry("hpp", CPP),
            Map.entry("csharp", CSHARP), Map.entry("c#", CSHARP), Map.entry("cs", CSHARP),
            Map.entry("go", GO), Map.entry("golang", GO),
            Map.entry("java", JAVA),
            Map.entry("javascript", JAVASCRIPT), Map.entry("js", JAVASCRIPT), Map.entry("node", JAVASCRIPT),
            Map.entry("python", PYTHON), Map.entry("py", PYTHON), Map.entry("python3", PYTHON),
            Map.entry("rust", RUST), Map.entry("rs", RUST));

    /** Lower-case name as written in fences and in adapter file names. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps a fence tag (any case, common aliases included) to a language. */
    public static Optional<Language> fromTag(String tag) {
        return Optional.ofNullable(ALIASES.get(tag.trim().toLowerCase(Locale.ROOT)));
    }
}
