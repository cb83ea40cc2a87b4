package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An ordered translation pair of HumanEvalPack languages, written {@code python-rust}. */
public record LanguagePair(Language source, Language target) {
    public LanguagePair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (!source.inHumanEvalPack() || !target.inHumanEvalPack()) {
            throw new IllegalArgumentException("translation pairs are between HumanEvalPack languages: " + source.id() + "-" + target.id());
        }
        if (source == target) throw new IllegalArgumentException("a translation pair needs two languages: " + source.id() + "-" + target.id());
    }

    public static LanguagePair parse(String s) {
        String[] p = s.trim().split("->|-|:");
        if (p.length != 2) throw new IllegalArgumentException("a translation pair is written source-target (e.g. python-rust): " + s);
        return new LanguagePair(Language.parseHumanEvalPack(p[0]), Language.parseHumanEvalPack(p[1]));
    }

    /** All 30 ordered pairs of the six languages. */
    public static List<LanguagePair> all() {
        List<LanguagePair> out = new ArrayList<>();
        for (Language s : Language.humanEvalPack()) for (Language t : Language.humanEvalPack()) if (s != t) out.add(new LanguagePair(s, t));
        return out;
    }

    @Override
    public String toString() {
        return source.id() + "-" + target.id();
    }
}
