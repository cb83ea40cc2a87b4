package dev.mole.gpu.model;

import dev.mole.gpu.model.internal.TensorStore;
import java.nio.file.Path;

/**
 * A plain double-precision LLaMA forward pass written from the Hugging Face modeling code, with no DJL: the independent
 * check of the DJL implementation. Slow and simple on purpose (loops, no caching).
 */
final class ReferenceLlama {
    final LlamaConfig c;
    final double[][] embed;
    final double[][] lmHead;
    final double[] finalNorm;
    final Layer[] layers;

    static final class Layer {
        double[] inNorm, postNorm;
        double[][] q, k, v, o, gate, up, down;
    }

    ReferenceLlama(Path dir) {
        try (LlamaCheckpoint ck = LlamaCheckpoint.open(dir)) {
            c = ck.config();
            TensorStore ts = ck.tensors();
            int h = c.hiddenSize(), d = c.headDim(), im = c.intermediateSize(), v = c.vocabSize();
            embed = mat(ts.read("model.embed_tokens.weight", v, h), v, h);
            lmHead = c.tieWordEmbeddings() ? embed : mat(ts.read("lm_head.weight", v, h), v, h);
            finalNorm = vec(ts.read("model.norm.weight", h));
            layers = new Layer[c.numLayers()];
            for (int l = 0; l < layers.length; l++) {
                String p = "model.layers." + l + ".";
                Layer L = new Layer();
                L.inNorm = vec(ts.read(p + "input_layernorm.weight", h));
                L.postNorm = vec(ts.read(p + "post_attention_layernorm.weight", h));
                L.q = mat(ts.read(p + "self_attn.q_proj.weight", c.numHeads() * d, h), c.numHeads() * d, h);
                L.k = mat(ts.read(p + "self_attn.k_proj.weight", c.numKvHeads() * d, h), c.numKvHeads() * d, h);
                L.v = mat(ts.read(p + "self_attn.v_proj.weight", c.numKvHeads() * d, h), c.numKvHeads() * d, h);
                L.o = mat(ts.read(p + "self_attn.o_proj.weight", h, c.numHeads() * d), h, c.numHeads() * d);
                L.gate = mat(ts.read(p + "mlp.gate_proj.weight", im, h), im, h);
                L.up = mat(ts.read(p + "mlp.up_proj.weight", im, h), im, h);
                L.down = mat(ts.read(p + "mlp.down_proj.weight", h, im), h, im);
                layers[l] = L;
            }
        }
    }

    static double[][] mat(float[] f, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int cc = 0; cc < cols; cc++) m[r][cc] = f[r * cols + cc];
        return m;
    }

    static double[] vec(float[] f) {
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) v[i] = f[i];
        return v;
    }

    static double[] matvec(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) s += w[r][i] * x[i];
            y[r] = s;
        }
        return y;
    }

    double[] rms(double[] x, double[] w) {
        double ss = 0;
        for (double a : x) ss += a * a;
        double inv = 1.0 / Math.sqrt(ss / x.length + c.rmsNormEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * inv * w[i];
        return y;
    }

    /** Rotates one head vector in place (Hugging Face half layout: pairs (i, i + d/2)). */
    void rope(double[] x, int off, int pos) {
        int d = c.headDim(), half = d / 2;
        double p = pos / c.ropeLinearFactor();
        for (int i = 0; i < half; i++) {
            double ang = p / Math.pow(c.ropeTheta(), 2.0 * i / d);
            double cos = Math.cos(ang), sin = Math.sin(ang);
            double a = x[off + i], b = x[off + i + half];
            x[off + i] = a * cos - b * sin;
            x[off + i + half] = b * cos + a * sin;
        }
    }

    /** Logits [T][vocab] for a whole sequence from position 0. */
    double[][] forward(int[] ids) {
        int t = ids.length, h = c.hiddenSize(), d = c.headDim(), nh = c.numHeads(), nkv = c.numKvHeads();
        double[][] hs = new double[t][];
        for (int i = 0; i < t; i++) hs[i] = embed[ids[i]].clone();
        for (Layer L : layers) {
            double[][] q = new double[t][], k = new double[t][], v = new double[t][];
            for (int i = 0; i < t; i++) {
                double[] x = rms(hs[i], L.inNorm);
                q[i] = matvec(L.q, x);
                k[i] = matvec(L.k, x);
                v[i] = matvec(L.v, x);
                for (int hh = 0; hh < nh; hh++) rope(q[i], hh * d, i);
                for (int hh = 0; hh < nkv; hh++) rope(k[i], hh * d, i);
            }
            for (int i = 0; i < t; i++) {
                double[] att = new double[nh * d];
                for (int hh = 0; hh < nh; hh++) {
                    int kvh = hh / (nh / nkv);
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[i][hh * d + e] * k[j][kvh * d + e];
                        s[j] = dot / Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) z += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= i; j++) for (int e = 0; e < d; e++) att[hh * d + e] += s[j] / z * v[j][kvh * d + e];
                }
                double[] o = matvec(L.o, att);
                for (int e = 0; e < h; e++) hs[i][e] += o[e];
            }
            for (int i = 0; i < t; i++) {
                double[] x = rms(hs[i], L.postNorm);
                double[] g = matvec(L.gate, x), u = matvec(L.up, x);
                for (int e = 0; e < g.length; e++) g[e] = g[e] / (1 + Math.exp(-g[e])) * u[e];
                double[] dn = matvec(L.down, g);
                for (int e = 0; e < h; e++) hs[i][e] += dn[e];
            }
        }
        double[][] out = new double[t][];
        for (int i = 0; i < t; i++) out[i] = matvec(lmHead, rms(hs[i], finalNorm));
        return out;
    }

    static double maxAbsDiff(double[][] a, float[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
        return m;
    }
}
