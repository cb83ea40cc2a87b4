package dev.mole.gpu.model.internal;

/** Safetensors element types this loader understands. All are widened to float32 in Java before reaching DJL. */
public enum StDType {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    StDType(int bytes) {
        this.bytes = bytes;
    }

    public static StDType of(String name, String tensor, String file) {
        for (StDType t : values()) if (t.name().equals(name)) return t;
        throw new dev.mole.gpu.model.CheckpointException(
                "tensor '" + tensor + "' in " + file + " has unsupported dtype '" + name + "' (supported: F32, F16, BF16)");
    }
}
