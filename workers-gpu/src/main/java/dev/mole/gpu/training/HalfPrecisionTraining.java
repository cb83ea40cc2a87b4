package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.training.internal.AutogradScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * fp16 mixed-precision training (DJL cannot do bf16, and its casts cut the autograd graph, so the model cannot keep fp32
 * weights and cast them per op as torch.autocast does). Instead, the recipe of Micikevicius et al. (2018):
 * <ul>
 *   <li>the whole model computes in fp16 (its arrays are recast once; the loss is taken in fp32 from widened logits);</li>
 *   <li>the optimiser updates fp32 <em>master</em> copies of the trainable arrays, which are what checkpoints hold, and
 *       the fp16 arrays are refreshed from them after each update (fp16 alone would lose updates smaller than its
 *       resolution: 1e-4 x lr steps vanish against weights near 1);</li>
 *   <li>the loss is multiplied by a {@link DynamicLossScale} so small gradients do not flush to zero in fp16; each
 *       micro-batch's fp16 gradients are folded into fp32 sums (no fp16 accumulation over a large effective batch), and
 *       a step whose gradients are not finite is skipped.</li>
 * </ul>
 * At the end the model is cast back to fp32 with the master values in its trainable arrays, so exports and evaluation
 * see fp32 adapters; frozen base weights keep the fp16 rounding they were trained with.
 */
final class HalfPrecisionTraining implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> masters = new LinkedHashMap<>();
    private final Map<String, NDArray> gradients = new LinkedHashMap<>();
    private final Map<String, NDArray> working = new LinkedHashMap<>();
    private final DynamicLossScale scale;

    private HalfPrecisionTraining(NDManager manager, DynamicLossScale scale) {
        this.manager = manager;
        this.scale = scale;
    }

    /** Copies the (fp32) trainable arrays to masters, then casts the model to fp16. */
    static HalfPrecisionTraining start(LlamaModel model, Map<String, NDArray> trainable, DynamicLossScale scale) {
        if (model.dataType() != DataType.FLOAT32) throw new IllegalStateException("fp16 training starts from a float32 model");
        AutogradScope.noGrad();
        HalfPrecisionTraining h = new HalfPrecisionTraining(model.manager().newSubManager(), scale);
        for (var e : trainable.entrySet()) {
            NDArray master = e.getValue().duplicate();
            master.attach(h.manager);
            h.masters.put(e.getKey(), master);
            h.gradients.put(e.getKey(), h.manager.zeros(master.getShape(), DataType.FLOAT32));
        }
        Map<NDArray, NDArray> replaced = model.castTo(DataType.FLOAT16);
        for (var e : trainable.entrySet()) h.working.put(e.getKey(), replaced.getOrDefault(e.getValue(), e.getValue()));
        return h;
    }

    /** The model's fp16 arrays that receive gradients. */
    Map<String, NDArray> working() {
        return working;
    }

    /** The fp32 arrays the optimiser updates and checkpoints hold. */
    Map<String, NDArray> masters() {
        return masters;
    }

    /** This step's fp32 gradients, unscaled once {@link #unscale} returned true. */
    Map<String, NDArray> gradients() {
        return gradients;
    }

    DynamicLossScale lossScale() {
        return scale;
    }

    /** After each micro-batch's backward: adds the fp16 gradients to the fp32 sums and zeroes them for the next one. */
    void foldGradients(NDManager step) {
        for (var e : working.entrySet()) {
            NDArray p = e.getValue();
            if (!p.hasGradient()) continue;
            NDArray g = AutogradScope.gradient(p, step);
            gradients.get(e.getKey()).addi(g.toType(DataType.FLOAT32, false));
            overwrite(g, null, step); // a true zero: subtracting would keep inf/NaN for the next step
        }
    }

    /** Divides the gradient sums by the loss scale; false when any of them is not finite (the step must be skipped). */
    boolean unscale() {
        AutogradScope.noGrad();
        try (NDManager step = manager.newSubManager()) {
            NDArray inv = step.create((float) (1.0 / scale.scale()));
            NDArray total = null;
            for (NDArray g : gradients.values()) {
                g.muli(inv);
                NDArray s = AutogradScope.view(g, step).abs().sum();
                total = total == null ? s : total.add(s);
            }
            return total == null || Float.isFinite(total.getFloat());
        }
    }

    /** Ends a step: masters -> fp16 arrays when it updated, gradient sums zeroed, loss scale adjusted. */
    void endStep(boolean updated, long step) {
        AutogradScope.noGrad();
        if (updated) copyMastersToWorking();
        try (NDManager tmp = manager.newSubManager()) {
            for (NDArray g : gradients.values()) overwrite(g, null, tmp);
        }
        scale.record(updated, step);
    }

    void copyMastersToWorking() {
        AutogradScope.noGrad();
        try (NDManager tmp = manager.newSubManager()) {
            for (var e : masters.entrySet()) {
                overwrite(working.get(e.getKey()), AutogradScope.view(e.getValue(), tmp).toType(DataType.FLOAT16, false), tmp);
            }
        }
    }

    /**
     * Writes {@code value} (or zeros when null) into {@code target} in place, through a view owned by {@code tmp}: DJL's
     * {@code set} makes its index and scalar arrays in the target's manager, which for long-lived arrays would grow by a
     * few arrays per parameter and step (seen: 18,000 live arrays after 150 steps of a tiny model).
     */
    private static void overwrite(NDArray target, NDArray value, NDManager tmp) {
        NDArray view = AutogradScope.view(target, tmp);
        if (value == null) view.set(new NDIndex(":"), 0);
        else view.set(new NDIndex(":"), value);
    }

    /** Casts the model back to fp32 and puts the master values in its trainable arrays; returns them by name. */
    Map<String, NDArray> finish(LlamaModel model) {
        AutogradScope.noGrad();
        Map<NDArray, NDArray> replaced = model.castTo(DataType.FLOAT32);
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDManager tmp = manager.newSubManager()) {
            for (var e : working.entrySet()) {
                NDArray p = replaced.getOrDefault(e.getValue(), e.getValue());
                overwrite(p, masters.get(e.getKey()), tmp);
                out.put(e.getKey(), p);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
