package dev.mole.deploy;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.finetune.FinetuneOrder;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import dev.mole.orchestrator.platform.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The demo's finetuning, after its curation: MoLE-48+16 against AllLang-FT r64 (equal total rank), two seeds each, a few
 * dozen optimiser steps on a tiny generated base model. That is enough to fill the console's progress bars, loss curves and
 * comparison table on a CPU in a few minutes; the numbers say nothing about real models (no real checkpoint can be
 * downloaded here). A completed demo run with the same request is reused, not redone, like the demo's dataset.
 */
final class DemoFinetunes {
    static final int STEPS = 24;
    static final List<Long> SEEDS = List.of(1L, 2L);

    private DemoFinetunes() {}

    /** The demo's orders on {@code dataset} from the base model folder {@code baseUri}. */
    static List<FinetuneOrder> orders(String dataset, String baseUri) {
        return List.of(order("demo mole 48+16", dataset, baseUri, "MOLE", "48+16"),
                order("demo alllang r64", dataset, baseUri, "ALL_LANG", "64"));
    }

    private static FinetuneOrder order(String name, String dataset, String baseUri, String method, String variant) {
        // batch 8 of at most 256 tokens: short steps; validation at 0, 12 and 24 (a pass over the whole validation split
        // is the slow part on a CPU)
        return new FinetuneOrder(name, dataset, baseUri, method, variant, null, SEEDS, 2e-3, 8, 1, 256, STEPS, 12, 12, null, null);
    }

    static void run(PlatformSettings settings, Platform platform, String datasetId, String consoleUrl, PrintStream out) {
        Path base = tinyBase(settings.home().resolve("demo/tiny-base"));
        BaseCheckpointUpload upload = BaseCheckpointUpload.plan(base, platform.bucket());
        upload.run(platform.blobStore(), out);
        FinetuneOrders orders = new FinetuneOrders(new DatasetCatalog(platform.dataSource()), platform.blobStore());
        FinetuneCatalog catalog = new FinetuneCatalog(platform.dataSource());
        FinetuneService finetunes = new FinetuneService(platform.workflowClient());
        for (FinetuneOrder order : orders(datasetId, upload.folder().uri())) {
            FinetuneRequest request = orders.resolve(order);
            Optional<FinetuneCatalog.FinetuneRun> done = completed(catalog, request);
            if (done.isPresent()) {
                out.println("Demo finetune '" + request.name() + "' already ran (" + done.get().runId() + "), reused");
                continue;
            }
            String runId = finetunes.start(request);
            out.println("Demo finetune started: " + runId + " (" + request.name() + ", seeds " + request.seeds()
                    + "); follow it at " + consoleUrl + "/#finetunes-title");
            FinetuneSummary summary = new FinetuneFollower(finetunes, catalog, out).follow(runId);
            out.println(FinetuneFollower.describe(summary));
        }
        out.println("Compare the runs in the console: " + consoleUrl + "/#finetunes-title");
    }

    /** A completed run of exactly this request (name, method, data, base, seeds, hyper-parameters). */
    static Optional<FinetuneCatalog.FinetuneRun> completed(FinetuneCatalog catalog, FinetuneRequest request) {
        return catalog.list(200).stream()
                .filter(r -> "COMPLETED".equals(r.status()) && request.equals(r.request()))
                .findFirst();
    }

    /** The tiny base model (hidden 64, 2 layers, byte-level BPE tokenizer), generated once per home. */
    static Path tinyBase(Path dir) {
        if (Files.isRegularFile(dir.resolve("config.json"))) return dir;
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "tiny-base-");
            TinyCheckpointFactory.write(tmp, TinyCheckpointFactory.Options.defaults().withSeed(7));
            Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's base model under " + dir, e);
        }
    }
}
