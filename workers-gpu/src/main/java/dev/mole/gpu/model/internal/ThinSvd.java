package dev.mole.gpu.model.internal;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.SingularOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;

/** Exact thin SVD in float32 (EJML), truncated to the top k: the definition PiSSA init is specified against. */
public final class ThinSvd {
    private ThinSvd() {}

    public static SvdFactors topK(float[] w, int m, int n, int k) {
        if (k > Math.min(m, n)) throw new IllegalArgumentException("k=" + k + " exceeds min(m, n)=" + Math.min(m, n));
        FMatrixRMaj a = new FMatrixRMaj(m, n, true, w.clone());
        SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(m, n, true, true, true);
        if (!svd.decompose(a)) throw new IllegalStateException("SVD did not converge for a " + m + "x" + n + " matrix");
        FMatrixRMaj u = svd.getU(null, false);
        FMatrixRMaj s = svd.getW(null);
        FMatrixRMaj v = svd.getV(null, false);
        SingularOps_FDRM.descendingOrder(u, false, s, v, false);
        return truncate(u, s, v, m, n, k);
    }

    static SvdFactors truncate(FMatrixRMaj u, FMatrixRMaj s, FMatrixRMaj v, int m, int n, int k) {
        float[] uk = new float[m * k], sk = new float[k], vk = new float[n * k];
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) uk[i * k + j] = u.get(i, j);
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) vk[i * k + j] = v.get(i, j);
        for (int j = 0; j < k; j++) sk[j] = s.get(j, j);
        return new SvdFactors(m, n, k, uk, sk, vk);
    }

    /** All singular values, descending (for accuracy reports). */
    public static float[] singularValues(float[] w, int m, int n) {
        SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(m, n, false, false, true);
        if (!svd.decompose(new FMatrixRMaj(m, n, true, w.clone()))) throw new IllegalStateException("SVD did not converge");
        float[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            float t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }
}
