package dev.mole.gpu.training.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.mole.gpu.model.internal.Tensors;

/**
 * The one place where training meets DJL's sharp edges (DJL-NOTES.md); the model's {@link Tensors} covers the forward side.
 *
 * <ul>
 *   <li>Grad mode is a THREAD-LOCAL PyTorch flag that DJL's engine switches off only on the thread that loaded it; an
 *       activity thread starts with it on, so an in-place optimiser update or a restore would fail ("leaf variable used in
 *       an in-place operation") and validation would build graphs. {@link #noGrad} switches it off on the calling thread;
 *       the trainer calls it before validation, restores and updates.</li>
 *   <li>Only one {@link GradientCollector} may be open per JVM: {@link #collect} opens one per optimiser step and the
 *       caller closes it (try-with-resources) before the update.</li>
 *   <li>{@code mul(Number)} under autograd can give wrong gradients: the loss is scaled by {@link #scaleLoss}, whose scalar
 *       is an NDArray owned by the sample's step manager, alive until after backward.</li>
 *   <li>Results attach to the first operand's manager and {@code getGradient()} returns a new native handle each call:
 *       {@link #gradient} re-homes it into the step manager, so closing the step closes it; optimiser temporaries are built
 *       from step-owned views ({@link #view}) so none lands in the model's or the optimiser's long-lived manager.</li>
 * </ul>
 */
public final class AutogradScope {

    private AutogradScope() {}

    public static GradientCollector collect() {
        return Engine.getEngine("PyTorch").newGradientCollector();
    }

    public static void noGrad() {
        JniUtils.setGradMode(false);
    }

    /** {@code loss * factor} with the factor as a scalar array in the loss's (per-sample) manager. */
    public static NDArray scaleLoss(NDArray loss, double factor) {
        return Tensors.scale(loss, Tensors.scalar(loss.getManager(), factor));
    }

    /** The accumulated gradient of {@code p}, owned by {@code step} (so it is closed with it). */
    public static NDArray gradient(NDArray p, NDManager step) {
        NDArray g = p.getGradient();
        g.attach(step);
        return g;
    }

    /** A view of a long-lived array owned by {@code step}: ops on it put their results in {@code step}. */
    public static NDArray view(NDArray a, NDManager step) {
        return Tensors.viewIn(a, step);
    }
}
