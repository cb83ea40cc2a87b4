package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.AutogradScope;
import dev.mole.gpu.training.internal.F32Safetensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW} computes it (decoupled decay, bias-corrected moments, eps added after the
 * square root), implemented on NDArrays so its state can be exported and restored bit for bit (DJL's Optimizer hides its
 * state, which would make exact resume impossible).
 *
 * <p>One {@link #step} reads every parameter's accumulated gradient, updates the parameter in place, and zeroes the
 * gradient for the next accumulation. Call it outside any GradientCollector (grad mode off on this thread).
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, NDArray> params;
    private final NDManager state;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final double beta1, beta2, eps, weightDecay;
    private long t;

    public AdamW(NDManager parent, Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = new LinkedHashMap<>(params);
        this.state = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (var e : params.entrySet()) {
            m.put(e.getKey(), state.zeros(e.getValue().getShape()));
            v.put(e.getKey(), state.zeros(e.getValue().getShape()));
        }
    }

    /** Steps taken (the bias-correction exponent). */
    public long steps() {
        return t;
    }

    /** One update from each parameter's accumulated gradient, which is then zeroed for the next accumulation. */
    public void step(double lr) {
        update(lr, (name, p, step) -> p.hasGradient() ? AutogradScope.gradient(p, step) : null, true);
    }

    /**
     * One update from gradients held elsewhere (fp32 sums of fp16 gradients, for {@link HalfPrecisionTraining}); they
     * are read, not zeroed. A parameter without an entry is not updated.
     */
    public void step(double lr, Map<String, NDArray> gradients) {
        update(lr, (name, p, step) -> gradients.containsKey(name) ? AutogradScope.view(gradients.get(name), step) : null, false);
    }

    private interface GradientOf {
        NDArray get(String name, NDArray param, NDManager step);
    }

    /**
     * Per parameter the temporaries are closed as soon as they are used, so they stay in cache instead of piling up in the
     * step's manager until the end (at MoLE's ~4M adapter floats that pile cost thousands of page faults and most of the
     * step), and the step's constants are float32 scalar arrays made once per step instead of a new tensor for every
     * {@code mul(Number)}.
     */
    private void update(double lr, GradientOf gradientOf, boolean zeroAfter) {
        AutogradScope.noGrad();
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        try (NDManager step = state.newSubManager()) {
            NDArray decay = Tensors.scalar(step, 1 - lr * weightDecay), b1 = Tensors.scalar(step, beta1);
            NDArray oneMinusB1 = Tensors.scalar(step, 1 - beta1), b2 = Tensors.scalar(step, beta2);
            NDArray oneMinusB2 = Tensors.scalar(step, 1 - beta2), bc2 = Tensors.scalar(step, bc2Sqrt);
            NDArray epsilon = Tensors.scalar(step, eps), stepSize = Tensors.scalar(step, lr / bc1);
            for (var e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray g = gradientOf.get(e.getKey(), p, step);
                if (g == null) continue;
                NDArray mi = m.get(e.getKey()), vi = v.get(e.getKey());
                if (weightDecay != 0) p.muli(decay);
                try (NDArray gm = g.mul(oneMinusB1)) {
                    mi.muli(b1).addi(gm);
                }
                try (NDArray g2 = g.square()) {
                    vi.muli(b2).addi(g2.muli(oneMinusB2));
                }
                try (NDArray denom = vi.sqrt()) {
                    denom.divi(bc2).addi(epsilon);
                    try (NDArray update = mi.div(denom)) {
                        p.subi(update.muli(stepSize));
                    }
                }
                if (zeroAfter) g.subi(g); // zero in place: the next backward accumulates into it
                g.close();
            }
        }
    }

    /** Moments as tensors named {@code m/<param>} and {@code v/<param>}; the step count goes with the scheduler state. */
    public Map<String, F32Safetensors.Tensor> exportState() {
        Map<String, F32Safetensors.Tensor> out = new LinkedHashMap<>();
        for (String k : params.keySet()) {
            out.put("m/" + k, new F32Safetensors.Tensor(m.get(k).getShape().getShape(), m.get(k).toFloatArray()));
            out.put("v/" + k, new F32Safetensors.Tensor(v.get(k).getShape().getShape(), v.get(k).toFloatArray()));
        }
        return out;
    }

    public void importState(Map<String, F32Safetensors.Tensor> tensors, long steps) {
        AutogradScope.noGrad();
        for (String k : params.keySet()) {
            F32Safetensors.Tensor tm = tensors.get("m/" + k), tv = tensors.get("v/" + k);
            if (tm == null || tv == null) throw new IllegalStateException("optimizer state lacks moments of " + k);
            m.get(k).set(tm.data());
            v.get(k).set(tv.data());
        }
        this.t = steps;
    }

    @Override
    public void close() {
        state.close();
    }
}
