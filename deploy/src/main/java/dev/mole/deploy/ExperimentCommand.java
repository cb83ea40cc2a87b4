package dev.mole.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.experiment.ExperimentComparisons;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import dev.mole.orchestrator.platform.Platform;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./mole experiment start|status|compare|cancel|retry}, each with {@code --json} for one JSON object on stdout
 * (messages for people go to stderr then).
 */
final class ExperimentCommand {
    static final String USAGE = "./mole experiment start ... | status ID | compare ID [ID2] | cancel ID | retry ID  [--json]";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ExperimentCommand() {}

    static int run(List<String> args, PlatformSettings settings, Platform platform) throws Exception {
        if (args.isEmpty()) throw new MoleLauncher.UsageException("experiment needs a subcommand. Usage: " + USAGE);
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        boolean json = rest.contains("--json");
        List<String> ids = rest.stream().filter(a -> !a.startsWith("--")).toList();
        PrintStream info = json ? System.err : System.out;
        ExperimentService service = new ExperimentService(platform.workflowClient(), platform.blobStore(), platform.dataSource());
        ExperimentComparisons comparisons = new ExperimentComparisons(platform.dataSource(), platform.blobStore());
        return switch (sub) {
            case "start" -> start(ExperimentArgs.parse(rest), settings, platform, service, comparisons, info);
            case "status" -> {
                String id = one(ids, sub);
                ExperimentCatalog c = service.catalog();
                var e = c.find(id).orElseThrow(() -> new MoleLauncher.UsageException("no experiment " + id));
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("experiment", e);
                    out.put("stages", c.stages(id));
                    out.put("armSeeds", c.armSeeds(id));
                    System.out.println(JSON.writeValueAsString(out));
                } else {
                    System.out.print(ExperimentTable.status(e, c.stages(id), c.armSeeds(id)));
                }
                yield 0;
            }
            case "compare" -> {
                if (ids.size() == 2) {
                    var s = comparisons.sideBySide(ids.get(0), ids.get(1))
                            .orElseThrow(() -> new MoleLauncher.UsageException("no experiment " + ids.get(0) + " or " + ids.get(1)));
                    System.out.print(json ? JSON.writeValueAsString(s) + "\n" : ExperimentTable.sideBySide(s));
                } else {
                    String id = one(ids, sub);
                    var c = comparisons.compare(id).orElseThrow(() -> new MoleLauncher.UsageException("no experiment " + id));
                    System.out.print(json ? JSON.writeValueAsString(c) + "\n" : ExperimentTable.comparison(c));
                }
                yield 0;
            }
            case "cancel" -> {
                String id = one(ids, sub);
                service.cancel(id);
                info.println("Cancel requested for " + id + ": running training and evaluation stop at their next heartbeat");
                if (json) System.out.println(JSON.writeValueAsString(Map.of("experimentId", id, "cancelRequested", true)));
                yield 0;
            }
            case "retry" -> {
                String id = one(ids, sub);
                service.retry(id);
                info.println("Retrying " + id + ": arms and seeds without a result run again, finished ones are kept");
                if (json) System.out.println(JSON.writeValueAsString(Map.of("experimentId", id, "retried", true)));
                yield 0;
            }
            default -> throw new MoleLauncher.UsageException("unknown experiment subcommand '" + sub + "'. Usage: " + USAGE);
        };
    }

    private static int start(ExperimentArgs a, PlatformSettings settings, Platform platform, ExperimentService service,
            ExperimentComparisons comparisons, PrintStream info) throws Exception {
        ObjectRef base;
        if (a.base().startsWith("s3://")) {
            base = ObjectRef.parse(a.base());
        } else {
            BaseCheckpointUpload up = BaseCheckpointUpload.plan(Path.of(a.base()), platform.bucket());
            up.run(platform.blobStore(), info);
            base = up.folder();
        }
        ObjectRef dataset = a.dataset() == null ? null
                : new FinetuneOrders(new DatasetCatalog(platform.dataSource()), platform.blobStore()).manifest(a.dataset());
        CurationRequest curation = a.input() == null ? null : CurationRequest.of(Path.of(a.input()).toAbsolutePath().toString());
        ExperimentRequest request = new ExperimentRequest(a.name(), dataset, curation, base, a.arms(), a.seeds(),
                a.evaluation(), a.svd());
        String id = service.start(request);
        info.println("Experiment " + id + " running; follow it with ./mole experiment status " + id + " or at http://"
                + settings.bindAddress() + ":" + settings.consolePort() + "/api/experiments/" + id);
        if (a.noWait()) {
            if (a.json()) System.out.println(JSON.writeValueAsString(Map.of("experimentId", id)));
            return 0;
        }
        ExperimentSummary summary;
        try {
            summary = service.await(id, Duration.ofDays(30));
        } catch (ExperimentService.ExperimentFailedException | TimeoutException e) {
            System.err.println("mole: experiment " + id + " ended without a result: " + e.getMessage());
            return 1;
        }
        var c = comparisons.compare(id).orElseThrow();
        System.out.print(a.json() ? JSON.writeValueAsString(c) + "\n" : ExperimentTable.comparison(c));
        return summary.status() == ExperimentStatus.COMPLETED ? 0 : 1;
    }

    private static String one(List<String> ids, String sub) {
        if (ids.size() != 1) throw new MoleLauncher.UsageException("experiment " + sub + " needs one experiment id. Usage: " + USAGE);
        return ids.get(0);
    }
}
