package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trainable SwiGLU expert of a mixture: either its own full copy of gate/up/down ({@code loras} null), or the frozen
 * dense projections shared with the base plus one LoRA pair on each ({@code weightsT} are then the base's arrays and
 * only the adapters train).
 */
final class ExpertMlp {
    private final NDArray[] weightsT; // gate, up, down as [in, out]
    private final LoraAdapter[] loras; // null for a full expert

    ExpertMlp(NDArray[] weightsT, LoraAdapter[] loras) {
        this.weightsT = weightsT;
        this.loras = loras;
    }

    NDArray forward(NDArray x) {
        NDArray act = Tensors.silu(project(x, 0)).mul(project(x, 1));
        return project(act, 2);
    }

    private NDArray project(NDArray x, int i) {
        NDArray y = x.matMul(weightsT[i]);
        return loras == null ? y : y.add(loras[i].delta(x));
    }

    /** The arrays that train, by suffix: {@code gate_proj.weightT} (full) or {@code gate_proj.aT} / {@code .bT}. */
    Map<String, NDArray> trainable() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String p = MoeMlp.PROJECTIONS.get(i);
            if (loras == null) {
                out.put(p + ".weightT", weightsT[i]);
            } else {
                out.put(p + ".aT", loras[i].aT());
                out.put(p + ".bT", loras[i].bT());
            }
        }
        return out;
    }

    ExpertMlp castTo(ArrayCaster cast) {
        NDArray[] w = new NDArray[3];
        for (int i = 0; i < 3; i++) w[i] = cast.apply(weightsT[i]);
        LoraAdapter[] l = null;
        if (loras != null) {
            l = new LoraAdapter[3];
            for (int i = 0; i < 3; i++) l[i] = loras[i].castTo(cast);
        }
        return new ExpertMlp(w, l);
    }
}
