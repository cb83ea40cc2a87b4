package dev.mole.console.internal;

import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.finetune.FinetuneCatalog.FinetuneRun;
import dev.mole.orchestrator.finetune.FinetuneCatalog.SeedRow;
import dev.mole.orchestrator.finetune.LiveFinetune;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finetune runs from the catalog (the record: requests, finished seeds and their curves, summaries) joined with what only
 * Temporal knows while a run trains: each seed's latest heartbeat. As with curations, a run not recorded yet (its first
 * activity has not run) is answered from Temporal, so a run id just returned by {@code POST} is never a 404.
 */
public class FinetuneViews {
    private final FinetuneCatalog catalog;
    private final FinetuneService finetunes;

    public FinetuneViews(FinetuneCatalog catalog, FinetuneService finetunes) {
        this.catalog = catalog;
        this.finetunes = finetunes;
    }

    List<FinetuneRunView> recent(int limit) {
        return catalog.list(limit).stream().map(FinetuneRunView::of).toList();
    }

    Optional<FinetuneDetailView> find(String runId) {
        return catalog.find(runId).map(this::detail).or(() -> finetunes.live(runId).map(FinetuneViews::notYetRecorded));
    }

    private FinetuneDetailView detail(FinetuneRun run) {
        Map<Long, SeedRow> finished = catalog.seeds(run.runId()).stream()
                .collect(Collectors.toMap(SeedRow::seed, Function.identity()));
        Map<Long, String> failures = catalog.seedFailures(run.runId());
        boolean running = "RUNNING".equals(run.status());
        // Only a running run has heartbeats to read; a finished one may be long gone from Temporal's memory.
        Optional<LiveFinetune> live = running ? finetunes.live(run.runId()) : Optional.empty();
        List<SeedView> seeds = new ArrayList<>();
        for (long seed : run.seeds()) {
            LiveFinetune.LiveSeed training = live.map(l -> l.seeds().get(seed)).orElse(null);
            if (finished.containsKey(seed)) {
                seeds.add(SeedView.completed(finished.get(seed)));
            } else if (failures.containsKey(seed)) {
                seeds.add(SeedView.failed(seed, failures.get(seed)));
            } else if (training != null) {
                seeds.add(SeedView.running(training));
            } else if (running) {
                seeds.add(SeedView.pending(seed));
            } else {
                seeds.add(SeedView.failed(seed, seedError(seed, run.error())));
            }
        }
        return new FinetuneDetailView(FinetuneRunView.of(run), run.request(), seeds,
                live.map(LiveFinetune::seedsWaiting).orElse(0));
    }

    /**
     * For runs recorded before each seed's failure was (V4): the workflow recorded the first failing seed's reason as
     * "seed N: why"; every other seed without a result ended without one too, because the run ends only after all its
     * seeds have.
     */
    private static String seedError(long seed, String runError) {
        String own = "seed " + seed + ": ";
        if (runError != null && runError.startsWith(own)) {
            return runError.substring(own.length());
        }
        return "no result was recorded; the run failed" + (runError == null ? "" : ": " + runError);
    }

    private static FinetuneDetailView notYetRecorded(LiveFinetune live) {
        boolean running = live.running();
        FinetuneRunView run = new FinetuneRunView(live.runId(), null, null, null, null, running ? "RUNNING" : "FAILED", 0,
                live.seeds().size() + live.seedsWaiting(), null,
                running ? null : "workflow ended before it was recorded: " + live.status(), null, null,
                live.startedAt(), live.startedAt());
        List<SeedView> seeds = live.seeds().values().stream().map(SeedView::running).toList();
        return new FinetuneDetailView(run, null, seeds, live.seedsWaiting());
    }
}
