package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mole.contracts.training.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finetuning part of the page in a real headless Chromium, against the embedded platform with {@link FakeGpuWorker}
 * holding seeds mid-training: what the page draws (progress bars, the loss-curve SVG, the comparison) must be what the
 * API says. Leaves a screenshot in the build directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("browser")
@Tag("stack")
class FinetuneBrowserTest extends PageTest {
    private static final double WAIT_MS = 60_000;

    @TempDir
    static Path home;
    static FinetuneStack fixture;
    static HeadlessChromium chromium;
    /** The run the form started in test 2; test 3 compares another run with it. */
    static String formRunId;

    @BeforeAll
    static void start() throws Exception {
        fixture = FinetuneStack.start(home, 21L, 300);
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(chromium, fixture);
    }

    @Override
    HeadlessChromium chromium() {
        return chromium;
    }

    @Override
    String consoleUrl() {
        return fixture.url();
    }

    @Test
    @Order(1)
    void theFormSaysWhatIsWrongAndOffersTheDatasets() {
        page.waitForSelector("#finetunes-empty:not([hidden])");
        page.waitForSelector("#comparison-empty:not([hidden])");
        // The datasets are offered by id, and the paper's settings shown where a field is left empty.
        page.waitForSelector("#ft-dataset-options option[value='" + fixture.dataset.datasetId() + "']",
                new Page.WaitForSelectorOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        page.waitForSelector("#ft-lr[placeholder='1e-4 (paper)']");
        assertThat(page.getAttribute("#ft-batch", "placeholder")).isEqualTo("64 (paper)");

        page.fill("#ft-dataset", fixture.dataset.datasetId());
        page.fill("#ft-base", "s3://mole/models/nothing-here");
        page.click("#ft-start-button");
        page.waitForSelector("#ft-form-status.bad >> text=holds no config.json");

        page.fill("#ft-base", fixture.base);
        page.fill("#ft-variant", "64");
        page.click("#ft-start-button");
        page.waitForSelector("#ft-form-status.bad >> text=variant of MOLE must be shared+expert ranks");

        page.selectOption("#ft-method", "FULL_FT");
        assertThat(page.isDisabled("#ft-variant")).isTrue();
        assertThat(page.isDisabled("#ft-init")).isTrue();
        page.fill("#ft-dataset", "0123456789abcdef");
        page.click("#ft-start-button");
        page.waitForSelector("#ft-form-status.bad >> text=no dataset 0123456789abcdef");
        assertThat(fixture.http.get("/api/finetunes").json()).as("nothing started").isEmpty();
        assertThat(browserErrors).isEmpty();
    }

    @Test
    @Order(2)
    void aRunStartedFromTheFormShowsAProgressBarPerSeedAndItsLossCurves() throws Exception {
        page.fill("#ft-dataset", fixture.dataset.datasetId());
        page.fill("#ft-base", fixture.base);
        page.fill("#ft-name", "browser mole");
        page.fill("#ft-seeds", "1, 2");
        page.fill("#ft-max-steps", "10");
        page.fill("#ft-lr", "0.0002");
        page.click("#ft-start-button");
        page.waitForSelector("#ft-form-status[data-run-id]:not(.bad)");
        formRunId = page.getAttribute("#ft-form-status", "data-run-id");
        assertThat(page.textContent("#ft-form-status")).isEqualTo("Started " + formRunId);

        // Both seeds held at step 3 of 10: a bar each, at 30 %, labelled with the heartbeat's figures.
        Locator row = page.locator("#finetunes-table tr[data-run-id='" + formRunId + "']");
        Locator held = row.locator(".seed-progress[data-status='RUNNING'] [role=progressbar][aria-valuenow='30']");
        held.nth(1).waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        assertThat(held.count()).isEqualTo(2);
        JsonNode detail = fixture.http.get("/api/finetunes/" + formRunId).json();
        for (long seed : List.of(1L, 2L)) {
            JsonNode progress = seedNode(detail, seed).get("progress");
            TrainingProgress sent = FakeGpuWorker.progress(seed, 2e-4, FakeGpuWorker.HELD_AT_STEP, 10);
            assertThat(progress.get("loss").asDouble()).isEqualTo(sent.loss());
            String label = row.locator(".seed-progress[data-seed='" + seed + "'] .seed-label").textContent();
            assertThat(label).contains("train 3/10", String.format(Locale.ROOT, "loss %.4f", sent.loss()),
                    "lr " + String.format(Locale.ROOT, "%.1e", sent.learningRate()).replace("e-0", "e-"),
                    String.format(Locale.US, "%,d tok/s", Math.round(sent.tokensPerSecond())),
                    "ETA " + Math.round(sent.etaSeconds()) + " s");
        }
        assertThat(row.locator("td.method").textContent()).isEqualTo("MOLE 48+16");
        assertThat(row.locator("td.seeds-done").textContent()).isEqualTo("0/2");

        // The chart draws the selected (just started) run: one line per seed, as many points as its curve.
        page.locator("#loss-chart path.curve[data-seed='1'][data-points='3']").waitFor();
        assertThat(page.locator("#loss-chart path.curve").count()).isEqualTo(2);
        assertThat(page.locator("#loss-chart path.curve[data-seed='2']").getAttribute("data-points")).isEqualTo("3");
        assertThat(page.textContent("#chart-run")).contains("browser mole");
        assertThat(page.locator("#loss-chart text.y-tick").count()).as("loss axis labelled").isGreaterThanOrEqualTo(2);
        assertThat(page.locator("#loss-chart text.x-tick").count()).as("step axis labelled").isGreaterThanOrEqualTo(2);
        page.screenshot(new Page.ScreenshotOptions().setPath(HeadlessChromium.buildDirectory()
                .resolve("finetune-running-screenshot.png")).setFullPage(true));
        page.selectOption("#chart-validation", "python");
        assertThat(page.locator("#loss-chart circle.validation-point").count()).as("one validation pass per seed so far")
                .isEqualTo(2);

        fixture.gpu.release(formRunId, 1);
        fixture.gpu.release(formRunId, 2);
        page.locator("#finetunes-table tr[data-run-id='" + formRunId + "'][data-status='COMPLETED']")
                .waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        // Finished seeds are drawn from their stored curves: the whole run now.
        page.locator("#loss-chart path.curve[data-seed='2'][data-points='10']").waitFor();
        assertThat(page.locator("#loss-chart circle.validation-point").count()).as("start and end, per seed")
                .isEqualTo(4);
        page.locator("#comparison-table tr[data-run-id='" + formRunId + "']").waitFor();
        assertThat(browserErrors).isEmpty();
    }

    @Test
    @Order(3)
    void theComparisonShowsMeanAndSpreadAndMarksTheBestRunPerColumn() throws Exception {
        Http.Answer started = fixture.http.postJson("/api/finetunes", Map.of("dataset", fixture.dataset.datasetId(),
                "baseCheckpoint", fixture.base, "name", "lower lr", "method", "ALL_LANG", "seeds", List.of(1, 2, 3),
                "maxSteps", 10, "learningRate", 1e-4));
        String other = started.json().get("runId").asText();
        for (long seed = 1; seed <= 3; seed++) {
            fixture.gpu.release(other, seed);
        }
        Locator table = page.locator("#comparison-table");
        table.locator("tr[data-run-id='" + other + "']").waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        table.locator("tr[data-run-id='" + formRunId + "']").waitFor();

        JsonNode mine = fixture.http.get("/api/finetunes/" + formRunId).json().get("run").get("summary");
        JsonNode theirs = fixture.http.get("/api/finetunes/" + other).json().get("run").get("summary");
        for (String key : FakeGpuWorker.LANGUAGES) {
            for (var run : Map.of(formRunId, mine, other, theirs).entrySet()) {
                JsonNode spread = run.getValue().get(key);
                Locator cell = table.locator("tr[data-run-id='" + run.getKey() + "'] td[data-key='" + key + "']");
                assertThat(cell.textContent()).isEqualTo(String.format(Locale.ROOT, "%.4f ± %.4f",
                        spread.get("mean").asDouble(), spread.get("std").asDouble()));
            }
            String best = mine.get(key).get("mean").asDouble() < theirs.get(key).get("mean").asDouble() ? formRunId : other;
            assertThat(table.locator("td.best[data-key='" + key + "']").count()).as(key).isEqualTo(1);
            assertThat(table.locator("tr[data-run-id='" + best + "'] td[data-key='" + key + "']").getAttribute("class"))
                    .as(key).contains("best");
        }
        assertThat(table.locator("tr[data-run-id='" + other + "'] td.method").textContent()).isEqualTo("ALL_LANG 64");
        assertThat(browserErrors).isEmpty();

        page.locator("#finetunes-title").scrollIntoViewIfNeeded();
        Path shot = HeadlessChromium.buildDirectory().resolve("finetune-screenshot.png");
        page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        assertThat(Files.size(shot)).isPositive();
    }

    private static JsonNode seedNode(JsonNode detail, long seed) {
        for (JsonNode s : detail.get("seeds")) {
            if (s.get("seed").asLong() == seed) {
                return s;
            }
        }
        throw new AssertionError("no seed " + seed + " in " + detail);
    }
}
