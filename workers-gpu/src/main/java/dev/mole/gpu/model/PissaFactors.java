package dev.mole.gpu.model;

import ai.djl.ndarray.NDManager;
import dev.mole.gpu.model.internal.RandomizedSvd;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.model.internal.ThinSvd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-k SVD factors of every adapted projection of a base model (docs/mole-protocol.md sections 2 and 7), in model
 * order: layer 0 gate, up, down, layer 1 gate, ... Adapter init and the stored residual both read these, so one SVD per
 * projection serves both, every seed and every arm that starts from the same top k: the slices of MoLE-48+16 and the
 * single LoRA of AllLang-FT r64 all lie within the top 64.
 */
public final class PissaFactors {

    /** The adapted projections of each layer, in the order the factors are kept. */
    public static final List<String> PROJECTIONS = List.of("gate_proj", "up_proj", "down_proj");

    /** Called after each projection, e.g. to heartbeat. */
    @FunctionalInterface
    public interface Progress {
        void projectionDone(int done, int total);

        Progress NONE = (d, t) -> {};
    }

    private final int rank;
    private final SvdMethod method;
    private final List<SvdFactors> factors;

    /** @param factors one per projection in model order, each of rank {@code rank} */
    public PissaFactors(int rank, SvdMethod method, List<SvdFactors> factors) {
        if (factors.isEmpty() || factors.size() % PROJECTIONS.size() != 0) {
            throw new IllegalArgumentException("need gate, up and down factors of every layer, got " + factors.size());
        }
        for (SvdFactors f : factors) {
            if (f.k() != rank) throw new IllegalArgumentException("factors of rank " + f.k() + " in a rank-" + rank + " set");
        }
        this.rank = rank;
        this.method = method;
        this.factors = List.copyOf(factors);
    }

    /** From the checkpoint's files: what the SVD stage runs, and what training runs when no factors are stored. */
    public static PissaFactors compute(Path baseDir, int k, SvdMethod method, ModelOptions options, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        try (LlamaCheckpoint ck = LlamaCheckpoint.open(baseDir);
             NDManager nd = NDManager.newBaseManager(options.resolveDevice(), "PyTorch")) {
            LlamaConfig c = ck.config();
            int total = c.numLayers() * PROJECTIONS.size();
            List<SvdFactors> out = new ArrayList<>(total);
            for (int l = 0; l < c.numLayers(); l++) {
                for (String proj : PROJECTIONS) {
                    int o = proj.equals("down_proj") ? c.hiddenSize() : c.intermediateSize();
                    int i = proj.equals("down_proj") ? c.intermediateSize() : c.hiddenSize();
                    // the same float32 values LlamaModel.load holds (it stores their exact transpose)
                    float[] w = ck.tensors().read("model.layers." + l + ".mlp." + proj + ".weight", o, i);
                    out.add(svd(nd, w, o, i, k, method, out.size()));
                    p.projectionDone(out.size(), total);
                }
            }
            return new PissaFactors(k, method, out);
        }
    }

    /** From a loaded model's ORIGINAL weights (before adapters are installed), on the model's device. */
    public static PissaFactors compute(LlamaModel model, int k, SvdMethod method) {
        if (model.mole() != null) throw new IllegalStateException("adapters are installed: the weights are a residual now");
        List<SvdFactors> out = new ArrayList<>();
        for (var layer : model.layers()) {
            for (var p : layer.mlp()) {
                int in = p.in(), o = p.out();
                out.add(svd(model.manager(), Tensors.transpose(p.weightT().toFloatArray(), in, o), o, in, k, method, out.size()));
            }
        }
        return new PissaFactors(k, method, out);
    }

    /**
     * One projection's top k. The randomised seed depends on the projection's index only, not on any training seed, so
     * every seed of a run can share the factors.
     */
    static SvdFactors svd(NDManager nd, float[] w, int out, int in, int k, SvdMethod method, int index) {
        if (k > Math.min(in, out)) {
            throw new IllegalArgumentException("union rank " + k + " exceeds projection size " + out + "x" + in);
        }
        return switch (method) {
            case EXACT -> ThinSvd.topK(w, out, in, k);
            case RANDOMIZED -> {
                RandomizedSvd r = RandomizedSvd.defaults();
                yield r.withSeed(r.seed() + index).topK(nd, w, out, in, k);
            }
        };
    }

    public int rank() {
        return rank;
    }

    public SvdMethod method() {
        return method;
    }

    public int layers() {
        return factors.size() / PROJECTIONS.size();
    }

    /** Projections held (layers x gate, up, down). */
    public int size() {
        return factors.size();
    }

    /** @param index position in model order ({@code layer * 3 + projection}) */
    public SvdFactors get(int index) {
        return factors.get(index);
    }

    public SvdFactors get(int layer, String projection) {
        int p = PROJECTIONS.indexOf(projection);
        if (p < 0) throw new IllegalArgumentException("no adapters on " + projection);
        return factors.get(layer * PROJECTIONS.size() + p);
    }
}
