package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
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
 * The page in a real headless Chromium (Debian's), against a real embedded platform: what a person sees after starting a
 * curation from the form must be what the API says. Leaves a full-page screenshot in the build directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("browser")
@Tag("stack")
class ConsoleBrowserTest extends PageTest {
    private static final double RUN_TIMEOUT_MS = 90_000;

    @TempDir
    static Path home;
    static ConsoleStack stack;
    static Http http;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        stack = ConsoleStack.start(home);
        http = new Http(stack.console.url());
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(chromium, stack);
    }

    @Override
    HeadlessChromium chromium() {
        return chromium;
    }

    @Override
    String consoleUrl() {
        return stack.console.url();
    }

    @Test
    @Order(1)
    void formErrorsAreShownOnThePage() {
        // First test of the class: no dataset exists yet, and the page says so.
        page.waitForSelector("#datasets-empty", new Page.WaitForSelectorOptions().setTimeout(10_000));
        page.click("#start-button");
        assertThat(page.textContent("#form-status")).contains("Give an input path");

        page.fill("#inputUri", "s3://only-a-bucket");
        page.click("#start-button");
        page.waitForSelector("#form-status.bad >> text=needs a bucket and a key");

        page.fill("#inputUri", "/data/x.jsonl");
        page.fill("#validationShare", "1.5");
        page.click("#start-button");
        page.waitForSelector("#form-status.bad >> text=validationShare must be");
        assertThat(browserErrors).isEmpty();
    }

    @Test
    @Order(2)
    void aFailedRunShowsItsReason() {
        page.fill("#inputUri", home.resolve("missing.jsonl").toString());
        page.fill("#name", "missing input");
        page.click("#start-button");
        String runId = startedRunId();
        Locator row = page.locator("#runs-table tr[data-run-id='" + runId + "'][data-status='FAILED']");
        row.waitFor(new Locator.WaitForOptions().setTimeout(RUN_TIMEOUT_MS));
        assertThat(row.textContent()).contains("input file not found", "missing.jsonl");
        assertThat(browserErrors).isEmpty();
    }

    @Test
    @Order(3)
    void curationStartedFromTheFormEndsInADatasetWhoseTablesMatchTheApi() throws IOException, URISyntaxException {
        Path input = stack.glaiveFile("glaive-browser.jsonl", 23L, 4_000);
        page.fill("#inputUri", input.toString());
        page.fill("#name", "browser demo");
        page.selectOption("#format", "jsonl");
        page.fill("#validationShare", "0.1");
        page.click("#start-button");
        String runId = startedRunId();

        // The page polls by itself: no reload between start and completion.
        page.locator("#runs-table tr[data-run-id='" + runId + "']").waitFor();
        page.locator("#runs-table tr[data-run-id='" + runId + "'][data-status='COMPLETED']")
                .waitFor(new Locator.WaitForOptions().setTimeout(RUN_TIMEOUT_MS));
        String datasetId = http.get("/api/curations/" + runId).json().get("datasetId").asText();
        Locator card = page.locator("article[data-dataset-id='" + datasetId + "']");
        card.waitFor(new Locator.WaitForOptions().setTimeout(10_000));

        JsonNode dataset = http.get("/api/datasets/" + datasetId).json();
        assertThat(card.locator("h3").textContent()).isEqualTo("browser demo");
        assertThat(page.locator("#datasets-empty").isHidden()).isTrue();
        // A completed run shows its final row count, not its last progress report.
        assertThat(page.locator("#runs-table tr[data-run-id='" + runId + "'] td.rows").textContent()).isEqualTo("4,000");
        assertThat(card.locator("[data-tile='input rows']").textContent()).isEqualTo(formatted(dataset, "inputRows"))
                .isEqualTo("4,000");
        assertThat(card.locator("[data-tile='kept']").textContent()).isEqualTo(formatted(dataset, "keptRows"));
        assertThat(card.locator("[data-tile='dropped']").textContent()).isEqualTo(formatted(dataset, "droppedRows"));
        assertThat(card.locator("[data-tile='train']").textContent()).isEqualTo(formatted(dataset, "trainRows"));
        assertThat(card.locator("[data-tile='validation']").textContent()).isEqualTo(formatted(dataset, "validationRows"));

        // Table I, row by row, in the API's order.
        JsonNode languages = dataset.get("statistics").get("languages");
        assertThat(card.locator("table.languages tbody tr").count()).isEqualTo(languages.size()).isEqualTo(8);
        for (JsonNode lang : languages) {
            Locator row = card.locator("table.languages tr[data-language='" + lang.get("language").asText() + "']");
            assertThat(row.locator("td.lang").textContent()).isEqualTo(lang.get("displayName").asText());
            assertThat(row.locator("td.samples").textContent()).isEqualTo(formatted(lang, "samples"));
            assertThat(row.locator("td.train").textContent()).isEqualTo(formatted(lang, "trainSamples"));
            assertThat(row.locator("td.validation").textContent()).isEqualTo(formatted(lang, "validationSamples"));
            assertThat(row.locator("td.blocks").textContent()).isEqualTo(formatted(lang, "codeBlocks"));
            assertThat(row.locator("td.words").textContent()).isEqualTo(formatted(lang, "codeWords"));
        }
        assertThat(card.locator("tr[data-language='total'] td.samples").textContent())
                .isEqualTo(formatted(dataset, "keptRows"));

        // Every drop reason, with its count.
        Iterator<Map.Entry<String, JsonNode>> reasons = dataset.get("statistics").get("droppedByReason").fields();
        int reasonCount = 0;
        while (reasons.hasNext()) {
            Map.Entry<String, JsonNode> reason = reasons.next();
            assertThat(card.locator("tr[data-reason='" + reason.getKey() + "'] td.count").textContent())
                    .as(reason.getKey()).isEqualTo(String.format(Locale.US, "%,d", reason.getValue().asLong()));
            reasonCount++;
        }
        assertThat(card.locator("table.reasons tr").count()).isEqualTo(reasonCount);
        assertThat(page.locator("#error").isHidden()).isTrue();
        assertThat(browserErrors).isEmpty();

        card.scrollIntoViewIfNeeded();
        Path shot = HeadlessChromium.buildDirectory().resolve("console-screenshot.png");
        page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        assertThat(Files.size(shot)).isPositive();
    }

    /** The run id the page reports after a successful start. */
    private String startedRunId() {
        page.waitForSelector("#form-status[data-run-id]:not(.bad)");
        String text = page.textContent("#form-status");
        String runId = page.getAttribute("#form-status", "data-run-id");
        assertThat(text).isEqualTo("Started " + runId);
        return runId;
    }

    private static String formatted(JsonNode node, String field) {
        return String.format(Locale.US, "%,d", node.get(field).asLong());
    }
}
