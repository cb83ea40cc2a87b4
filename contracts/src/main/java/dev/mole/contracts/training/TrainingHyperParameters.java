package dev.mole.contracts.training;

/**
 * Optimiser, schedule and loop settings (docs/mole-protocol.md section 4).
 *
 * @param learningRate     peak learning rate (paper 1e-4)
 * @param beta1            AdamW beta1 (paper 0.9)
 * @param beta2            AdamW beta2 (paper 0.95)
 * @param epsilon          AdamW epsilon (paper 1e-6)
 * @param weightDecay      decoupled weight decay (paper 0)
 * @param warmupShare      share of all optimiser steps spent warming up linearly from 0 (paper 0.05)
 * @param endLearningRateFactor learning rate at the last step as a share of the peak; the paper's reference decays toward
 *                         1.1 x steps, which ends at about 0.0909 of the peak
 * @param effectiveBatch   sequences per optimiser step (paper 64); gradients accumulate over them
 * @param epochs           passes over the training split (paper 2)
 * @param maxLength        tokens per sequence at most (paper 2048)
 * @param validationEvery  optimiser steps between per-language validation passes (0: only at start and end)
 * @param checkpointEvery  optimiser steps between checkpoints (0: none)
 * @param maxSteps         stop after this many optimiser steps (0: run all epochs); the schedule still spans all epochs
 *                         when 0, or exactly maxSteps otherwise
 * @param precision        "fp32" (default) or "fp16": half-precision compute with fp32 master weights and dynamic loss
 *                         scaling, for GPUs (and CPUs with fast fp16 matmuls). bf16, the paper's choice, is refused: DJL's
 *                         PyTorch engine aborts the JVM on any bf16 tensor.
 */
public record TrainingHyperParameters(
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        double warmupShare,
        double endLearningRateFactor,
        int effectiveBatch,
        int epochs,
        int maxLength,
        int validationEvery,
        int checkpointEvery,
        int maxSteps,
        String precision) {

    public TrainingHyperParameters {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0: " + learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("betas must be in [0, 1)");
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weightDecay must be >= 0");
        if (!(warmupShare >= 0 && warmupShare < 1)) throw new IllegalArgumentException("warmupShare must be in [0, 1)");
        if (!(endLearningRateFactor >= 0 && endLearningRateFactor <= 1)) {
            throw new IllegalArgumentException("endLearningRateFactor must be in [0, 1]");
        }
        if (effectiveBatch < 1 || epochs < 1 || maxLength < 8) throw new IllegalArgumentException("batch, epochs >= 1, maxLength >= 8");
        if (validationEvery < 0 || checkpointEvery < 0 || maxSteps < 0) throw new IllegalArgumentException("intervals must be >= 0");
        precision = precision == null || precision.isBlank() ? "fp32" : precision.trim().toLowerCase(java.util.Locale.ROOT);
        if (precision.equals("bf16") || precision.equals("bfloat16")) {
            throw new IllegalArgumentException("precision bf16 is not supported: DJL's PyTorch engine aborts on bf16 tensors; use fp16 or fp32");
        }
        if (!precision.equals("fp32") && !precision.equals("fp16")) {
            throw new IllegalArgumentException("precision '" + precision + "' is not supported: use fp32 or fp16");
        }
    }

    /** The paper's settings (reference code): lr 1e-4, betas 0.9/0.95, eps 1e-6, wd 0, 5% warm-up, batch 64, 2 epochs. */
    public static TrainingHyperParameters paper() {
        return new TrainingHyperParameters(1e-4, 0.9, 0.95, 1e-6, 0.0, 0.05, 1.0 / 11.0, 64, 2, 2048, 500, 200, 0, "fp32");
    }

    public TrainingHyperParameters withLearningRate(double lr) {
        return new TrainingHyperParameters(lr, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, maxLength, validationEvery, checkpointEvery, maxSteps, precision);
    }

    public TrainingHyperParameters withBatch(int batch, int epochs) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                batch, epochs, maxLength, validationEvery, checkpointEvery, maxSteps, precision);
    }

    public TrainingHyperParameters withIntervals(int validationEvery, int checkpointEvery) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, maxLength, validationEvery, checkpointEvery, maxSteps, precision);
    }

    public TrainingHyperParameters withMaxSteps(int steps) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, maxLength, validationEvery, checkpointEvery, steps, precision);
    }

    public TrainingHyperParameters withMaxLength(int len) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, len, validationEvery, checkpointEvery, maxSteps, precision);
    }

    public TrainingHyperParameters withPrecision(String p) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, weightDecay, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, maxLength, validationEvery, checkpointEvery, maxSteps, p);
    }

    public TrainingHyperParameters withWeightDecay(double wd) {
        return new TrainingHyperParameters(learningRate, beta1, beta2, epsilon, wd, warmupShare, endLearningRateFactor,
                effectiveBatch, epochs, maxLength, validationEvery, checkpointEvery, maxSteps, precision);
    }
}
