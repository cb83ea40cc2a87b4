package dev.mole.deploy;

import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.finetune.LiveFinetune;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * Prints a finetune run's progress on the terminal until it ends: a line per seed when its phase changes or every
 * {@link #QUIET} while it trains (the console has the full picture, curves included), and a line per seed as its result
 * is recorded. Live figures come from the training heartbeats, which a GPU worker sends at most once a minute or so.
 */
final class FinetuneFollower {
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration QUIET = Duration.ofSeconds(15);

    private final FinetuneService finetunes;
    private final FinetuneCatalog catalog;
    private final PrintStream out;
    private final Map<Long, String> lastPhase = new HashMap<>();
    private final Map<Long, Long> lastPrintedAt = new HashMap<>();
    private final Set<Long> finished = new HashSet<>();

    FinetuneFollower(FinetuneService finetunes, FinetuneCatalog catalog, PrintStream out) {
        this.finetunes = finetunes;
        this.catalog = catalog;
        this.out = out;
    }

    /** @throws FinetuneService.FinetuneFailedException when the run fails */
    FinetuneSummary follow(String runId) {
        while (true) {
            try {
                FinetuneSummary summary = finetunes.await(runId, POLL);
                report(runId);
                return summary;
            } catch (TimeoutException e) {
                report(runId);
            }
        }
    }

    private void report(String runId) {
        for (FinetuneCatalog.SeedRow r : catalog.seeds(runId)) {
            if (finished.add(r.seed())) {
                out.printf(Locale.ROOT, "  seed %d finished: %d steps, final train loss %s, validation loss %s%n",
                        r.seed(), r.steps(), r.finalTrainLoss() == null ? "-"
                                : String.format(Locale.ROOT, "%.4f", r.finalTrainLoss()), losses(r.validationLoss()));
            }
        }
        finetunes.live(runId).ifPresent(live -> live.seeds().values().forEach(this::progress));
    }

    private void progress(LiveFinetune.LiveSeed s) {
        if (finished.contains(s.seed())) {
            return;
        }
        TrainingProgress p = s.progress();
        long now = System.nanoTime();
        boolean newPhase = !p.phase().equals(lastPhase.put(s.seed(), p.phase()));
        Long last = lastPrintedAt.get(s.seed());
        if (newPhase || last == null || now - last >= QUIET.toNanos()) {
            lastPrintedAt.put(s.seed(), now);
            String retry = s.attempt() > 1 ? "  (attempt " + s.attempt() + " after: " + s.lastFailure() + ")" : "";
            out.printf(Locale.ROOT, "  seed %d: %s %d/%d  loss %.4f  lr %.2e  %,.0f tok/s  ETA %s%s%n", s.seed(), p.phase(),
                    p.step(), p.totalSteps(), p.loss(), p.learningRate(), p.tokensPerSecond(),
                    Duration.ofSeconds(Math.round(Math.max(0, p.etaSeconds()))).toString().substring(2).toLowerCase(Locale.ROOT),
                    retry);
        }
    }

    /** "all 5.8798  c 5.6306 ...": "all" first, then the languages in order, as the console's table has them. */
    private static String losses(Map<String, Double> byKey) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(byKey).entrySet().stream()
                .sorted((x, y) -> x.getKey().equals("all") ? -1 : y.getKey().equals("all") ? 1 : 0)
                .forEach(e -> b.append(b.isEmpty() ? "" : "  ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", e.getValue())));
        return b.isEmpty() ? "-" : b.toString();
    }

    /** The summary as a few lines: where each seed's outputs are, and every validation loss's mean and spread. */
    static String describe(FinetuneSummary s) {
        StringBuilder b = new StringBuilder("Finetune " + s.runId() + " completed, " + s.seeds().size() + " seed(s):\n");
        for (FinetuneSummary.SeedResult seed : s.seeds()) {
            b.append(String.format(Locale.ROOT, "  seed %d: %d steps, outputs %s%n", seed.seed(), seed.result().steps(),
                    seed.result().outputManifest()));
        }
        b.append("  validation loss, mean ± std over seeds:");
        s.validationLoss().forEach((key, spread) -> b.append(String.format(Locale.ROOT, "%n    %-20s %.4f ± %.4f (n=%d)",
                key, spread.mean(), spread.std(), spread.n())));
        return b.toString();
    }
}
