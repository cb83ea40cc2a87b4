package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The loss scale of fp16 training, with torch.cuda.amp.GradScaler's defaults: start at 2^16, halve and skip the update
 * when a step's gradients are not finite, double after {@value #GROWTH_INTERVAL} finite steps in a row. Its state is part of
 * a checkpoint, so a resumed run scales exactly as an uninterrupted one.
 *
 * <p>Skipping is for the odd overflowing step. When {@value #MAX_OVERFLOWS_IN_A_ROW} steps in a row overflow, the model
 * itself overflows half precision (the forward pass, not the gradients: scaling down no longer helps), and the run stops
 * with an error that says so instead of silently training nothing.
 */
final class DynamicLossScale {
    static final double INITIAL = 65536.0;
    static final int GROWTH_INTERVAL = 2000;
    static final int MAX_OVERFLOWS_IN_A_ROW = 24;

    private double scale;
    private int finiteInARow;
    private int overflowsInARow;
    private long skipped;

    DynamicLossScale(double initial) {
        if (!(initial > 0) || Double.isInfinite(initial)) throw new IllegalArgumentException("loss scale must be positive: " + initial);
        this.scale = initial;
    }

    double scale() {
        return scale;
    }

    /** Optimiser steps skipped because their gradients overflowed. */
    long skipped() {
        return skipped;
    }

    /** Records one step: finite gradients (the update ran) or an overflow (it was skipped). */
    void record(boolean finite, long step) {
        if (finite) {
            overflowsInARow = 0;
            if (++finiteInARow == GROWTH_INTERVAL) {
                scale *= 2;
                finiteInARow = 0;
            }
            return;
        }
        skipped++;
        finiteInARow = 0;
        scale /= 2;
        if (++overflowsInARow >= MAX_OVERFLOWS_IN_A_ROW) {
            // not retryable (the same checkpoint would overflow the same way): a configuration that does not suit the model
            throw new IllegalArgumentException("fp16 training overflowed: " + overflowsInARow + " optimiser steps in a row up to step "
                    + step + " had non-finite gradients (loss scale now " + scale + "); the model's activations do not fit half"
                    + " precision, train it in fp32");
        }
    }

    void save(ObjectNode state) {
        state.putObject("lossScale").put("scale", scale).put("finiteInARow", finiteInARow)
                .put("overflowsInARow", overflowsInARow).put("skipped", skipped);
    }

    void restore(JsonNode state) {
        JsonNode s = state.get("lossScale");
        if (s == null) throw new IllegalStateException("checkpoint of an fp16 run lacks its loss scale");
        scale = s.get("scale").asDouble();
        finiteInARow = s.get("finiteInARow").asInt();
        overflowsInARow = s.get("overflowsInARow").asInt();
        skipped = s.get("skipped").asLong();
    }
}
