package dev.mole.contracts.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's loss history, bounded so it fits in every heartbeat and a database row whatever the run's length: at most
 * {@link #CAPACITY} training points. Each point is the mean loss over {@code count} consecutive optimiser steps ending at
 * {@code step}; when the curve is full, neighbours merge pairwise and later points cover twice as many steps, so the
 * curve keeps its shape from the first step to the last. Validation passes are few, so they are kept up to
 * {@link #VALIDATION_CAPACITY}, then thinned to every other one.
 *
 * <p>Not thread-safe; the training loop owns it. {@link #points()} and {@link #validation()} return immutable snapshots.
 */
public final class LossCurve {

    public static final int CAPACITY = 256;
    public static final int VALIDATION_CAPACITY = 64;

    /** Mean training loss of the {@code count} optimiser steps ending at {@code step}. */
    public record Point(long step, double loss, int count) {}

    /** Per-language validation loss (and "all") measured after optimiser step {@code step}. */
    public record ValidationPoint(long step, Map<String, Double> loss) {
        public ValidationPoint {
            loss = loss == null ? Map.of() : Map.copyOf(loss);
        }
    }

    private final List<Point> points = new ArrayList<>();
    private final List<ValidationPoint> validation = new ArrayList<>();
    private int stride = 1;

    public LossCurve() {}

    /** A curve that goes on from a saved one (a resumed run): same points, same stride. */
    public static LossCurve resume(List<Point> points, List<ValidationPoint> validation) {
        LossCurve c = new LossCurve();
        c.points.addAll(points);
        c.validation.addAll(validation);
        for (Point p : points) c.stride = Math.max(c.stride, Integer.highestOneBit(Math.max(1, p.count())));
        return c;
    }

    /** Adds one optimiser step's loss; a step with no finite loss (no trained token in its batch) has nothing to plot. */
    public void add(long step, double loss) {
        if (!Double.isFinite(loss)) return;
        if (!points.isEmpty()) {
            Point last = points.get(points.size() - 1);
            if (last.count() < stride) {
                points.set(points.size() - 1, merge(last, new Point(step, loss, 1)));
                return;
            }
        }
        points.add(new Point(step, loss, 1));
        if (points.size() > CAPACITY) {
            List<Point> merged = new ArrayList<>(points.size() / 2 + 1);
            for (int i = 0; i < points.size(); i += 2) {
                merged.add(i + 1 < points.size() ? merge(points.get(i), points.get(i + 1)) : points.get(i));
            }
            points.clear();
            points.addAll(merged);
            stride *= 2;
        }
    }

    public void addValidation(long step, Map<String, Double> loss) {
        validation.add(new ValidationPoint(step, loss));
        if (validation.size() > VALIDATION_CAPACITY) {
            // keep the first and every other one after it: the start of the run stays visible
            List<ValidationPoint> kept = new ArrayList<>();
            for (int i = 0; i < validation.size(); i += 2) kept.add(validation.get(i));
            if (!kept.get(kept.size() - 1).equals(validation.get(validation.size() - 1))) kept.add(validation.get(validation.size() - 1));
            validation.clear();
            validation.addAll(kept);
        }
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    public List<ValidationPoint> validation() {
        return List.copyOf(validation);
    }

    private static Point merge(Point a, Point b) {
        double loss = (a.loss() * a.count() + b.loss() * b.count()) / (a.count() + b.count());
        return new Point(b.step(), loss, a.count() + b.count());
    }
}
