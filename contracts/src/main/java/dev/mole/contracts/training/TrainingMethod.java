package dev.mole.contracts.training;

/** The methods of the paper (docs/mole-protocol.md section 4). */
public enum TrainingMethod {
    /** Shared + per-language experts + nl adapters, routed per token. */
    MOLE,
    /** One rank-64 LoRA (PiSSA init) over every token. */
    ALL_LANG,
    /** One rank-64 LoRA per language, each trained on its language's subset only. */
    PER_LANG,
    /** Every weight trains. */
    FULL_FT,
    /** No training: the base model is evaluated only. */
    NO_FT,
    /**
     * The second seed system: the MLPs upcycled to a token- and segment-level mixture of experts with a learned router
     * ({@link MoeSettings}; docs/multipl-moe.md). No language labels route it.
     */
    MULTIPL_MOE
}
