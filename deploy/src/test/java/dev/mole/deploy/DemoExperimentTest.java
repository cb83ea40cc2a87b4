package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's chain as {@code ./mole demo} runs it (its 20,000 generated rows curated, then {@link DemoExperiment} on the
 * local workers), timed; a second start answers from the recorded results without training or evaluating again.
 */
@Tag("sandbox")
@Tag("stack")
class DemoExperimentTest {
    @TempDir
    Path home;

    @Test
    void theDemoExperimentEndsWithItsComparisonAndASecondStartReusesEverything() throws Exception {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(home).withPorts(0, 0, 0, 0);
        long t0 = System.nanoTime();
        try (LocalPlatform local = LocalPlatform.start(settings);
                LocalWorkers workers = LocalWorkers.start(local.platform(), settings)) {
            assertThat(workers.sandboxRunning()).as("the demo's evaluation needs the sandbox").isTrue();
            Path input = java.nio.file.Files.createDirectories(home.resolve("inputs")).resolve("glaive-demo.jsonl"); // the default input root
            new GlaiveLikeGenerator(7L).write(input, 20_000);
            CurationService curation = new CurationService(local.platform().workflowClient());
            DatasetSummary d = curation.await(curation.start(new CurationRequest("glaive-demo", input.toString(), "jsonl",
                    "question", "answer", FenceMode.NORMALIZED, CurationRequest.PAPER_VALIDATION_SHARE,
                    CurationRequest.DEFAULT_SEED)), Duration.ofMinutes(30));

            String first = run(settings, local, d);
            double firstSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(first).contains("Demo experiment COMPLETED").contains("mole-48+16").contains("all_lang-64")
                    .contains("synthesis");
            ExperimentCatalog catalog = new ExperimentCatalog(local.platform().dataSource());
            String id = catalog.list(1).get(0).experimentId();
            List<ExperimentCatalog.ArmSeedRow> before = catalog.armSeeds(id);
            assertThat(before).hasSize(4).allSatisfy(r -> assertThat(r.state()).isEqualTo("COMPLETED"));

            long t1 = System.nanoTime();
            String second = run(settings, local, d);
            double secondSeconds = (System.nanoTime() - t1) / 1e9;
            assertThat(second).contains("Demo experiment COMPLETED");
            assertThat(catalog.armSeeds(id)).extracting(ExperimentCatalog.ArmSeedRow::finishedAt)
                    .as("nothing trained or evaluated again").containsExactlyElementsOf(before.stream().map(r -> r.finishedAt()).toList());
            System.out.printf("demo: first start %.0f s (curation included), second start %.1f s, load %s%n", firstSeconds,
                    secondSeconds, java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println(first);
            assertThat(secondSeconds).isLessThan(60);
        }
    }

    private static String run(PlatformSettings settings, LocalPlatform local, DatasetSummary d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoExperiment.run(settings, local.platform(), d.manifestUri(), "http://console", new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
