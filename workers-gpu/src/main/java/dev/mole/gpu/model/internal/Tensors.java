package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The one place that deals with DJL's sharp edges (see DJL-NOTES.md):
 * <ul>
 *   <li>{@code mul/div/pow(Number)} can give wrong gradients (the scalar's buffer is freed before backward), so model code
 *       multiplies by a scalar NDArray owned by a long-lived manager: {@link #scalar} + {@link #scale}.</li>
 *   <li>bf16 never reaches DJL: weights arrive here as float32 already widened in Java.</li>
 *   <li>Results attach to the FIRST operand's manager: helpers here always put the per-step array first.</li>
 *   <li>{@code toType} runs outside autograd, so a cast inside a graph cuts it: {@link #widen} upcasts half precision
 *       through PyTorch's type promotion instead, which autograd follows.</li>
 * </ul>
 */
public final class Tensors {

    private Tensors() {}

    /** A 0-d float32 constant that lives as long as {@code owner} (keep it referenced while graphs use it). */
    public static NDArray scalar(NDManager owner, double value) {
        return owner.create((float) value);
    }

    /** {@code x * s} for a scalar NDArray made by {@link #scalar}; the result lives in x's manager. */
    public static NDArray scale(NDArray x, NDArray s) {
        return x.mul(s);
    }

    /** Row-major float32 matrix [rows, cols] from Java data. */
    public static NDArray matrix(NDManager m, float[] data, int rows, int cols) {
        return m.create(data, new Shape(rows, cols));
    }

    /** Transposes a row-major [rows, cols] float array in Java, so weights are stored as [in, out] and x.matMul(w) needs no view. */
    public static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[base + c];
        }
        return t;
    }

    /** {@code cat(-x2, x1)} over the last axis: Hugging Face's rotate_half for the half-rotation rotary layout. */
    public static NDArray rotateHalf(NDArray x) {
        // PtNDArray.split rejects negative axes: name the last axis explicitly
        int last = x.getShape().dimension() - 1;
        NDList halves = x.split(2, last);
        return halves.get(1).neg().concat(halves.get(0), last);
    }

    /** SiLU(x) = x * sigmoid(x), built from ops that autograd supports in DJL's PyTorch engine. */
    public static NDArray silu(NDArray x) {
        return x.mul(ai.djl.nn.Activation.sigmoid(x));
    }

    /**
     * {@code x} as float32 while keeping the autograd graph: adding a one-element float32 zero promotes the result to
     * float32 (a dimensioned operand decides the type) and the gradient flows back to {@code x} in its own type. Float32
     * input is returned as it is.
     */
    public static NDArray widen(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) return x;
        return x.add(x.getManager().zeros(new Shape(1), DataType.FLOAT32));
    }

    /** A constant (mask, rotary table, route mask) in the type of the activations it meets, so it never promotes them. */
    public static NDArray asTypeOf(NDArray constant, NDArray like) {
        return constant.getDataType() == like.getDataType() ? constant : constant.toType(like.getDataType(), false);
    }

    /** The values as Java floats, whatever the floating type (toFloatArray refuses anything but float32). */
    public static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) return a.toFloatArray();
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    /** A full view of {@code a} owned by {@code m} (no copy), so later results attach to {@code m}. */
    public static NDArray viewIn(NDArray a, NDManager m) {
        return a.get(m, new ai.djl.ndarray.index.NDIndex(":"));
    }
}
