package dev.mole.gpu.model;

/** How adapters are initialised (docs/mole-protocol.md section 2). */
public enum AdapterInit {
    /** PiSSA: shared on the top r_s singular components, experts on the next r_e (default). */
    SHARED_FIRST,
    /** PiSSA: experts on the top r_e, shared on the next r_s. */
    SHARED_LAST,
    /** Standard LoRA: A Kaiming-uniform, B zero, W_res = W. */
    STD
}
