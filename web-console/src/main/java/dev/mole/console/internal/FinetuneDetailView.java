package dev.mole.console.internal;

import dev.mole.contracts.training.FinetuneRequest;
import java.util.List;

/**
 * One finetune run in full.
 *
 * @param request      as started; null while the run is not recorded yet
 * @param seeds        one entry per requested seed, in the request's order
 * @param seedsWaiting training activities Temporal holds that have not reported yet (queued for a GPU worker)
 */
public record FinetuneDetailView(FinetuneRunView run, FinetuneRequest request, List<SeedView> seeds, int seedsWaiting) {}
