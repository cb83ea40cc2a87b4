package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

    private void update(double lr, GradientOf gradientOf, boolean zeroAfter) {
        AutogradScope.noGrad();
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        try (NDManager step = state.newSubManager()) {
            for (var e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray g = gradientOf.get(e.getKey(), p, step);
                if (g == null) continue;
                NDArray mi = m.get(e.getKey()), vi = v.get(e.getKey());
                if (weightDecay != 0) p.muli(1 - lr * weightDecay);
                mi.muli(beta1).addi(g.mul(1 - beta1));
                vi.muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray denom = AutogradScope.view(vi, step).sqrt().div(bc2Sqrt).add(eps);
                p.subi(AutogradScope.view(mi, step).div(denom).mul(lr / bc1));
                if (zeroAfter) g.subi(g); // zero in place: the next backward accumulates into it
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
