package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Replaces a model's arrays by copies in another floating type (fp32 <-> fp16), closing each old array once its copy
 * exists, and remembers which new array replaced which old one so holders of the old arrays (a training loop's map of
 * trainable parameters) can follow.
 */
public final class ArrayCaster {
    private final DataType type;
    private final Map<NDArray, NDArray> replaced = new IdentityHashMap<>();

    public ArrayCaster(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("models run in float32 or float16, not " + type);
        }
        this.type = type;
    }

    public DataType type() {
        return type;
    }

    /** The array in the target type (the same array when it already is); an array seen twice maps to one copy. */
    public NDArray apply(NDArray a) {
        if (a.getDataType() == type) return a;
        NDArray done = replaced.get(a);
        if (done != null) return done;
        NDArray copy = a.toType(type, true);
        replaced.put(a, copy);
        a.close();
        return copy;
    }

    /** Old array -> its replacement, by identity. */
    public Map<NDArray, NDArray> replaced() {
        return replaced;
    }
}
