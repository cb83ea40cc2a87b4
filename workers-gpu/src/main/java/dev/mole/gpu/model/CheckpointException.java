package dev.mole.gpu.model;

/** A checkpoint that cannot be used: the message names the file, tensor or field at fault. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
