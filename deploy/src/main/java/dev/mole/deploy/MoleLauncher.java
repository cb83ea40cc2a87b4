package dev.mole.deploy;

import dev.mole.console.ConsoleServer;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.AdminTokenFile;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.curation.InputRoots;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.orchestrator.finetune.FinetuneOrder;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import dev.mole.orchestrator.platform.Platform;
import dev.mole.orchestrator.stack.PortGuard;
import dev.mole.orchestrator.stack.StackEndpoints;
import dev.mole.orchestrator.stack.StackStartException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code ./mole COMMAND}: the platform's command line. Errors a person can fix are printed as one sentence, exit 2. */
public final class MoleLauncher {
    private MoleLauncher() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String cmd = rest.isEmpty() ? "help" : rest.remove(0);
        try {
            int code = switch (cmd) {
                case "up" -> up(false, rest);
                case "demo" -> up(true, rest);
                case "down" -> down();
                case "status" -> status();
                case "curate" -> curate(rest);
                case "finetune" -> finetune(rest);
                case "evaluate" -> evaluate(rest);
                case "registry" -> registry(rest);
                case "experiment" -> experiment(rest);
                case "bench" -> Benchmarks.run(rest);
                case "worker" -> worker(rest);
                default -> {
                    System.err.println("unknown command '" + cmd + "'. Commands: up, demo, down, status, curate, finetune, evaluate, experiment, registry, worker, bench");
                    yield 2;
                }
            };
            System.exit(code);
        } catch (StackStartException | IllegalArgumentException | UsageException e) {
            System.err.println("mole: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Starts the whole platform in this process and blocks until Ctrl-C or {@code ./mole down}. */
    private static int up(boolean demo, List<String> args) throws Exception {
        boolean exitAfterDemo = args.contains("--exit");
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        Files.createDirectories(settings.home());
        PidFile pid = PidFile.claim(settings.home().resolve("mole.pid"));
        LocalPlatform platform = null;
        LocalWorkers workers = null;
        ConsoleServer console = null;
        boolean handedToShutdownHook = false;
        try {
            // Checked before anything starts, so a clash leaves nothing half-started.
            PortGuard.requireFree(settings.bindAddress(), settings.consolePort(), "web console", "MOLE_CONSOLE_PORT");
            System.out.println("Starting the MoLE platform (home " + settings.home() + ") ...");
            platform = LocalPlatform.start(settings);
            console = ConsoleServer.start(platform.platform(), settings.bindAddress(), settings.consolePort());
            Path adminToken = AdminTokenFile.ensure(console.registry(), settings.home());
            workers = LocalWorkers.start(platform.platform(), settings);
            System.out.println("MoLE platform is up.");
            System.out.println("  console   " + console.url());
            System.out.println("  ops       " + platform.ops().url() + " (/health /ready /metrics)");
            System.out.println("  temporal  " + platform.platform().endpoints().temporalTarget());
            System.out.println("  postgres  " + platform.platform().endpoints().jdbcUrl());
            System.out.println("  s3        " + platform.platform().endpoints().s3Endpoint() + " bucket "
                    + platform.platform().bucket());
            System.out.println("  registry  " + console.url() + "/api/v1 (admin token in " + adminToken + ")");
            if (demo) {
                runDemo(settings, platform, console, workers.sandboxRunning());
                if (exitAfterDemo) {
                    return 0;
                }
            }
            System.out.println("Stop with Ctrl-C or ./mole down.");
            CountDownLatch stopped = new CountDownLatch(1);
            LocalPlatform p = platform;
            LocalWorkers w = workers;
            ConsoleServer c = console;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("Stopping the MoLE platform ...");
                closeQuietly(c);
                closeQuietly(w);
                closeQuietly(p);
                pid.release();
                System.out.println("Stopped.");
                stopped.countDown();
            }, "mole-shutdown"));
            handedToShutdownHook = true;
            stopped.await();
            return 0;
        } finally {
            if (!handedToShutdownHook) {
                closeQuietly(console);
                closeQuietly(workers);
                closeQuietly(platform);
                pid.release();
            }
        }
    }

    private static void runDemo(PlatformSettings settings, LocalPlatform platform, ConsoleServer console,
            boolean sandbox) throws IOException, TimeoutException {
        Path input = settings.home().resolve("inputs/glaive-demo.jsonl"); // inside the default input root
        if (!Files.exists(input)) {
            Files.createDirectories(input.getParent());
            Path tmp = input.resolveSibling("glaive-demo.jsonl.tmp");
            new GlaiveLikeGenerator(7L).write(tmp, 20_000);
            Files.move(tmp, input, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        CurationService curation = new CurationService(platform.platform().workflowClient());
        CurationRequest request = new CurationRequest("glaive-demo", input.toString(), "jsonl", "question", "answer",
                FenceMode.NORMALIZED, CurationRequest.PAPER_VALIDATION_SHARE, CurationRequest.DEFAULT_SEED);
        String runId = curation.start(readableByWorkers(request, settings, platform.platform()));
        System.out.println("Demo curation started: " + runId + " (follow it at " + console.url() + ")");
        DatasetSummary s = curation.await(runId, Duration.ofMinutes(30));
        System.out.println(describe(s));
        System.out.println("See it in the console: " + console.url() + "/#dataset-" + s.datasetId());
        if (sandbox) {
            DemoExperiment.run(settings, platform.platform(), s.manifestUri(), console.url(), System.out);
        } else {
            // an experiment evaluates, which needs the sandbox; without it the demo shows the finetunes alone
            System.out.println("No sandbox worker here (see above), so the demo trains without evaluating.");
            DemoFinetunes.run(settings, platform.platform(), s.datasetId(), console.url(), System.out);
        }
    }

    private static String describe(DatasetSummary s) {
        return String.format("Dataset %s%s: %,d input rows -> %,d kept (%,d train, %,d validation), %,d dropped%n"
                        + "  manifest %s", s.datasetId(), s.reused() ? " (already curated, reused)" : "",
                s.inputRows(), s.keptRows(), s.trainRows(), s.validationRows(), s.droppedRows(), s.manifestUri());
    }

    private static int down() throws Exception {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        Optional<ProcessHandle> running = PidFile.running(settings.home().resolve("mole.pid"));
        if (running.isEmpty()) {
            System.out.println("The MoLE platform is not running (no live process in " + settings.home().resolve("mole.pid") + ").");
            return 0;
        }
        ProcessHandle h = running.get();
        System.out.println("Stopping the MoLE platform (pid " + h.pid() + ") ...");
        h.destroy();
        try {
            h.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("mole: pid " + h.pid() + " did not stop within 60 s; it was left running.");
            return 1;
        }
        System.out.println("Stopped.");
        return 0;
    }

    private static int status() {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        Optional<ProcessHandle> running = PidFile.running(settings.home().resolve("mole.pid"));
        if (running.isPresent()) {
            System.out.println("running (pid " + running.get().pid() + "), console http://" + settings.bindAddress() + ":"
                    + settings.consolePort());
            return 0;
        }
        System.out.println("not running");
        return 3;
    }

    /**
     * Starts a curation on a running platform (embedded or a cluster) and waits for its result. A local input outside
     * the platform's curation input roots is uploaded first: the worker reads only those folders and the object store.
     */
    private static int curate(List<String> args) throws Exception {
        CurationArgs a = CurationArgs.parse(args);
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        try (Platform platform = connect(settings)) {
            CurationRequest request = readableByWorkers(a.request(), settings, platform);
            CurationService curation = new CurationService(platform.workflowClient());
            String runId = curation.start(request);
            System.out.println("Curation started: " + runId);
            try {
                System.out.println(describe(curation.await(runId, Duration.ofHours(12))));
                return 0;
            } catch (CurationService.CurationFailedException e) {
                System.err.println("mole: curation " + runId + " failed: " + e.getMessage());
                return 1;
            }
        }
    }

    /** The request itself, or, for a local input outside the curation input roots, one naming an uploaded copy. */
    private static CurationRequest readableByWorkers(CurationRequest request, PlatformSettings settings, Platform platform) {
        if (ObjectRef.isObjectUri(request.inputUri()) || !Files.exists(Path.of(request.inputUri()))
                || new InputRoots(settings.curationInputRoots()).allows(Path.of(request.inputUri()))) {
            return request; // a missing file is reported by the curation itself, as for any other bad input
        }
        BaseCheckpointUpload up = BaseCheckpointUpload.input(Path.of(request.inputUri()), platform.bucket());
        up.run(platform.blobStore(), System.out);
        return request.withInputUri(up.onlyObject().uri());
    }

    /**
     * Starts a multi-seed finetune on a running platform and follows it to its summary. Needs the catalog (dataset ids)
     * and the object store (the base folder, and uploading a local one) as well as Temporal, so it connects to all three;
     * a bad order is refused before anything is uploaded or started.
     */
    private static int finetune(List<String> args) {
        FinetuneArgs a = FinetuneArgs.parse(args);
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        try (Platform platform = connect(settings)) {
            FinetuneOrders orders = new FinetuneOrders(new DatasetCatalog(platform.dataSource()), platform.blobStore());
            Optional<BaseCheckpointUpload> upload = a.localBase().map(dir -> BaseCheckpointUpload.plan(dir, platform.bucket()));
            FinetuneOrder order = upload.map(u -> a.order().withBaseCheckpoint(u.folder().uri())).orElse(a.order());
            FinetuneRequest request = orders.withoutBaseCheck(order);
            upload.ifPresent(u -> u.run(platform.blobStore(), System.out));
            orders.requireBase(request.baseCheckpoint());
            FinetuneService finetunes = new FinetuneService(platform.workflowClient());
            String runId = finetunes.start(request);
            System.out.println("Finetune started: " + runId + " (" + request.name() + ", seeds " + request.seeds() + ")");
            System.out.println("Following it here and at http://" + settings.bindAddress() + ":" + settings.consolePort()
                    + "/#finetunes-title; Ctrl-C stops following, not the run.");
            try {
                FinetuneSummary summary = new FinetuneFollower(finetunes, new FinetuneCatalog(platform.dataSource()),
                        System.out).follow(runId);
                System.out.println(FinetuneFollower.describe(summary));
                return 0;
            } catch (FinetuneService.FinetuneFailedException e) {
                System.err.println("mole: " + e.getMessage());
                return 1;
            }
        }
    }

    /**
     * Evaluates a trained output, a finetune run's seed, the base alone or an oracle on HumanEvalPack on a running
     * platform and prints the Pass@1 tables (or, with --json, the summary as one JSON object). A bad selection or a model
     * that does not fit its base is refused before anything runs.
     */
    private static int evaluate(List<String> args) throws Exception {
        EvaluateArgs a = EvaluateArgs.parse(args);
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        try (Platform platform = connect(settings)) {
            ObjectRef adapters = null;
            String base = a.base();
            if (a.run() != null) {
                FinetuneCatalog runs = new FinetuneCatalog(platform.dataSource());
                var run = runs.find(a.run()).orElseThrow(() -> new UsageException("no finetune run " + a.run()));
                adapters = runs.seeds(a.run()).stream().filter(x -> x.seed() == a.seed()).findFirst()
                        .map(x -> ObjectRef.parse(x.outputManifest()))
                        .orElseThrow(() -> new UsageException("finetune run " + a.run() + " has no finished seed " + a.seed()
                                + " (finished: " + runs.seeds(a.run()).stream().map(x -> x.seed()).toList() + ")"));
                base = base != null ? base : run.baseCheckpoint();
            } else if (a.localAdapters()) {
                BaseCheckpointUpload up = BaseCheckpointUpload.adapters(a.adaptersDir(), platform.bucket());
                up.run(platform.blobStore(), a.json() ? System.err : System.out);
                adapters = up.folder().child("manifest.json");
            } else if (a.adapters() != null) {
                adapters = parseRef(a.adapters());
            }
            ObjectRef baseRef = null;
            if (base != null && !base.startsWith("s3://")) {
                BaseCheckpointUpload up = BaseCheckpointUpload.plan(Path.of(base), platform.bucket());
                up.run(platform.blobStore(), a.json() ? System.err : System.out);
                baseRef = up.folder();
            } else if (base != null) {
                baseRef = parseRef(base);
            }
            EvaluationRequest request;
            try {
                request = new EvaluationRequest(a.name() != null ? a.name() : "cli", baseRef, adapters, a.kinds(), a.languages(),
                        a.pairs(), a.limit(), a.routing(), a.translationRouting(), a.specialisation(), a.sampling(),
                        a.maxNewTokens(), a.oracle());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            EvaluationService evaluations = new EvaluationService(platform.workflowClient(), platform.blobStore());
            String id;
            try {
                id = evaluations.start(request);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            (a.json() ? System.err : System.out).println("Evaluation " + id + " running; follow it at http://"
                    + settings.bindAddress() + ":" + settings.consolePort() + "/#evaluation-" + id);
            try {
                EvaluationSummary summary = evaluations.await(id, Duration.ofDays(7));
                System.out.print(a.json() ? new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(summary) + "\n"
                        : EvaluationTable.render(summary));
                return 0;
            } catch (EvaluationService.EvaluationFailedException e) {
                System.err.println("mole: evaluation " + id + " failed: " + e.getMessage());
                return 1;
            }
        }
    }

    /** Experiments on a running platform: start (and follow to the comparison), status, compare, cancel, retry. */
    private static int experiment(List<String> args) throws Exception {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        try (Platform platform = connect(settings)) {
            return ExperimentCommand.run(args, settings, platform);
        }
    }

    private static ObjectRef parseRef(String uri) {
        try {
            return ObjectRef.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The three services of a platform running from these settings, or one sentence saying none answers. */
    /** {@code ./mole registry ...}: see {@link RegistryCommand}. */
    private static int registry(List<String> args) throws Exception {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        try (Platform platform = connect(settings);
             AdapterRegistry registry = AdapterRegistry.open(platform.dataSource(), platform.blobStore(), platform.bucket())) {
            return new RegistryCommand(registry, System.out, settings.home()).run(args);
        }
    }

    private static Platform connect(PlatformSettings settings) {
        StackEndpoints endpoints;
        try {
            endpoints = StackEndpoints.ofRunning(settings);
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            return Platform.connect(endpoints);
        } catch (RuntimeException e) {
            throw new UsageException("no platform answers (PostgreSQL " + endpoints.jdbcUrl() + ", S3 "
                    + endpoints.s3Endpoint() + ", Temporal " + endpoints.temporalTarget() + "): start it with ./mole up, "
                    + "or set MOLE_JDBC_URL, MOLE_S3_ENDPOINT and MOLE_TEMPORAL_TARGET");
        }
    }

    /** A worker that joins a running platform (a cluster, or a local {@code mole up}) without serving the console. */
    private static int worker(List<String> args) throws Exception {
        String kind = args.isEmpty() ? "" : args.get(0);
        switch (kind) {
            case "cpu" -> dev.mole.orchestrator.workers.CpuWorkerMain.main(new String[0]);
            case "gpu" -> dev.mole.gpu.training.TrainingWorker.main(new String[0]);
            case "sandbox" -> dev.mole.sandbox.activity.SandboxWorker.main(new String[0]);
            default -> throw new UsageException("worker needs a kind: cpu, gpu or sandbox");
        }
        Thread.currentThread().join(); // the worker's threads do the work until the process is stopped
        return 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
