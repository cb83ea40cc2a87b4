package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/**
 * One LoRA adapter on one projection: {@code delta(x) = s * (x A^T) B^T}, stored transposed ({@code aT: [in, r]},
 * {@code bT: [r, out]}) so the per-step activation is always the first operand. {@code scale} is a long-lived scalar array.
 */
public record LoraAdapter(String name, NDArray aT, NDArray bT, NDArray scale, int rank) {

    /** The same adapter with its factors in the caster's type (the scale stays a float32 scalar: 0-d never promotes). */
    public LoraAdapter castTo(ArrayCaster cast) {
        return new LoraAdapter(name, cast.apply(aT), cast.apply(bT), scale, rank);
    }

    public NDArray delta(NDArray x) {
        return Tensors.scale(x.matMul(aT), scale).matMul(bT);
    }
}
