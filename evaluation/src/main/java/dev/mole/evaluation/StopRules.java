package dev.mole.evaluation;

import dev.mole.contracts.evaluation.TaskKind;

import dev.mole.contracts.language.Language;
import java.util.List;
import java.util.Map;

/**
 * The {@link StopRule} for a response. Upstream's stop sequences ({@link #UPSTREAM_STOP_SEQUENCES}, for reference) are
 * not matched as text: the rules end the answer where such a sequence starts a top-level line that is no definition (a
 * statement, a {@code main}), keep the helpers that {@code \ndef} or {@code \nfunc} would have cut off, and never stop
 * inside a function body, where Go's {@code struct} would cut a {@code map[int]struct{}} (Go/90, Go/158).
 * docs/evaluation-protocol.md, "Where a completion ends".
 */
public final class StopRules {
    /** bigcode-evaluation-harness's per-language stop words (from CodeGeeX); the other four languages have none. */
    public static final Map<Language, List<String>> UPSTREAM_STOP_SEQUENCES = Map.of(
            Language.PYTHON, List.of("\nclass", "\ndef", "\n#", "\n@", "\nprint", "\nif", "\nassert"),
            Language.GO, List.of("\n//", "\nfunc main(", "struct", "\nfunc"));

    private StopRules() {}

    /** The rule for a prompt of this module; explain-describe's knows the docstring's length. */
    public static StopRule of(EvalPrompt prompt) {
        if (!prompt.kind().producesCode()) {
            return new DescriptionRule(Descriptions.length(prompt.task().docstring()));
        }
        return new CodeRule(prompt.language(), prompt.codeStart());
    }

    /**
     * The rule from what a generator knows: the kind, the answer's language and the response prefix it was given. A code
     * prefix must open a fence whose tag names {@code language}; explain-describe's prefix must be empty.
     */
    public static StopRule of(TaskKind kind, Language language, String responsePrefix) {
        if (!language.inHumanEvalPack()) {
            throw new IllegalArgumentException(language.id() + " is not a HumanEvalPack language (expected one of "
                    + Language.humanEvalPack().stream().map(Language::id).toList() + ")");
        }
        if (!kind.producesCode()) {
            if (!responsePrefix.isEmpty()) {
                throw new IllegalArgumentException("an explain-describe response starts empty, got " + quote(responsePrefix));
            }
            return new DescriptionRule(Integer.MAX_VALUE);
        }
        int newline = responsePrefix.indexOf('\n');
        if (!responsePrefix.startsWith("```") || newline < 0) {
            throw new IllegalArgumentException("a " + kind.id() + " response starts with an opening fence line, got "
                    + quote(responsePrefix));
        }
        String tag = responsePrefix.substring(3, newline).strip();
        if (Language.fromTag(tag).orElse(null) != language) {
            throw new IllegalArgumentException("the response prefix's fence tag '" + tag + "' does not name " + language.id());
        }
        return new CodeRule(language, responsePrefix.substring(newline + 1));
    }

    private static String quote(String s) {
        String head = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + head.replace("\n", "\\n") + "'";
    }
}
