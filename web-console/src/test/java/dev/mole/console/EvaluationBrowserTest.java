package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation part of the page in a real headless Chromium, on the embedded platform with the evaluations of
 * {@link EvaluationFixture}: what the table, the heat map and the forced-routing matrix show must be the recorded scores,
 * and a cell must lead to its samples and a sample to its tokens in their experts' colours. Leaves screenshots in the
 * build directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("browser")
@Tag("stack")
class EvaluationBrowserTest extends PageTest {
    private static final double WAIT_MS = 30_000;

    @TempDir
    static Path home;
    static ConsoleStack stack;
    static EvaluationFixture fixture;
    static HeadlessChromium chromium;
    static String base;

    @BeforeAll
    static void start() {
        stack = ConsoleStack.start(home);
        fixture = EvaluationFixture.seed(stack);
        base = stack.fakeBaseCheckpoint();
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
    void theCompletedEvaluationShowsItsTableHeatMapAndForcedRoutingMatrix() {
        // With nothing chosen, the newest completed evaluation is shown.
        Locator table = page.locator("#ev-score-table");
        table.waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        Locator list = page.locator("#evaluations-table");
        assertThat(list.locator("tbody tr").count()).isEqualTo(3);
        Locator done = list.locator("tr[data-evaluation-id='" + fixture.completedId + "']");
        assertThat(done.getAttribute("class")).contains("selected");
        assertThat(done.locator("td[data-kind=SYNTHESIS]").textContent()).isEqualTo("45.0");
        assertThat(done.locator(".badge").textContent()).isEqualTo("COMPLETED");
        assertThat(list.locator("tr[data-evaluation-id='" + fixture.failedId + "'] .badge").textContent())
                .isEqualTo("FAILED");
        assertThat(list.locator("tr[data-evaluation-id='" + fixture.runningId + "'] .mini-progress").count())
                .as("a running evaluation shows that it is under way").isEqualTo(1);

        for (Language l : EvaluationFixture.HEP) {
            assertThat(table.locator("td[data-kind=SYNTHESIS][data-language=" + l.id() + "]").textContent())
                    .as(l.id()).isEqualTo(pct(EvaluationFixture.synthesisPassed(l) / 10.0));
            assertThat(table.locator("td[data-kind=EXPLAIN_SYNTHESIS][data-language=" + l.id() + "]").textContent())
                    .as(l.id()).isEqualTo(pct(EvaluationFixture.explainPassed(l) / 10.0));
        }
        assertThat(table.locator("td.best[data-kind=SYNTHESIS]").getAttribute("data-language")).isEqualTo("rust");
        assertThat(table.locator("td.best[data-kind=EXPLAIN_SYNTHESIS]").getAttribute("data-language")).isEqualTo("cpp");
        Map<String, Double> into = translationInto();
        double bestInto = into.values().stream().mapToDouble(d -> d).max().orElseThrow();
        Set<String> bestTargets = new HashSet<>();
        into.forEach((t, p) -> {
            if (p == bestInto) {
                bestTargets.add(t);
            }
            assertThat(table.locator("td[data-kind=TRANSLATION][data-language=" + t + "]").textContent()).as(t)
                    .isEqualTo(pct(p));
        });
        assertThat(table.locator("td.best[data-kind=TRANSLATION]").all()).extracting(c -> c.getAttribute("data-language"))
                .containsExactlyInAnyOrderElementsOf(bestTargets);

        Locator heat = page.locator("svg.heat-map");
        assertThat(heat.locator("g.grid-cell.scored").count()).isEqualTo(30);
        assertThat(heat.locator("g.grid-cell.diagonal").count()).isEqualTo(6);
        assertThat(heat.locator("g.grid-cell.diagonal text").count()).as("the diagonal is empty").isZero();
        for (Score s : fixture.scores) {
            if (s.kind() == TaskKind.TRANSLATION) {
                Locator cell = heat.locator("g[data-source=" + s.source().id() + "][data-target=" + s.language().id() + "]");
                assertThat(cell.locator("text.grid-value").textContent()).isEqualTo(pct(s.passAt1()));
                assertThat(cell.locator("rect").getAttribute("fill")).startsWith("hsl(");
            }
        }

        Locator matrix = page.locator("svg.specialisation");
        assertThat(matrix.locator("g.grid-cell").count()).as("6 languages x (8 experts + NL)").isEqualTo(54);
        assertThat(matrix.locator("text.grid-col").allTextContents())
                .containsExactly("C", "C++", "C#", "Go", "Java", "JS", "Python", "Rust", "NL");
        Locator own = matrix.locator("g.grid-cell.own-expert");
        assertThat(own.count()).isEqualTo(6);
        for (Locator cell : own.all()) {
            assertThat(cell.getAttribute("data-language")).isEqualTo(cell.getAttribute("data-expert"));
            assertThat(cell.locator("text").textContent()).isEqualTo("80.0");
        }
        assertThat(matrix.locator("g[data-language=go][data-expert=nl] text").textContent()).isEqualTo("50.0");
        assertThat(browserErrors).isEmpty();
    }

    @Test
    @Order(2)
    void aCellListsItsSamplesAndASampleShowsItsTokensInTheirExpertsColours() throws Exception {
        page.locator("svg.heat-map").waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        // A heat-map cell: Python to Rust, every sample with its verdict and reason.
        page.locator("svg.heat-map g[data-source=python][data-target=rust]").click();
        page.locator("#ev-samples-title >> text=Translation · Python → Rust").waitFor();
        Locator rows = page.locator("#ev-samples tbody tr");
        rows.nth(9).waitFor();
        assertThat(rows.count()).isEqualTo(10);
        long passed = fixture.score(TaskKind.TRANSLATION, Language.RUST, Language.PYTHON, "manual").passed();
        assertThat(page.locator("#ev-samples tbody tr[data-verdict=PASS]").count()).isEqualTo((int) passed);
        assertThat(rows.first().locator("td.reason").textContent()).isNotBlank();
        long compileErrors = fixture.samples.stream().filter(s -> s.kind() == TaskKind.TRANSLATION
                && s.source() == Language.PYTHON && s.language() == Language.RUST
                && s.verdict() == SandboxVerdict.COMPILE_ERROR).count();
        page.selectOption("#ev-verdict", "COMPILE_ERROR");
        page.locator("#ev-samples .pager >> text=1–" + compileErrors + " of " + compileErrors).waitFor();
        assertThat(page.locator("#ev-samples tbody tr:not([data-verdict=COMPILE_ERROR])").count()).isZero();
        Locator failing = page.locator("#ev-samples tbody tr").first();
        String failingId = failing.getAttribute("data-sample-id");
        failing.click();
        page.locator("#ev-sample-id >> text=" + failingId).waitFor();
        assertThat(page.locator("#ev-sample .verdict").first().textContent()).isEqualTo("COMPILE_ERROR");
        assertThat(page.locator("#ev-sample pre.tokens .tok[data-route=rust]").count())
                .as("manual routing: every token to the target's expert")
                .isEqualTo(page.locator("#ev-sample pre.tokens .tok").count());

        // A synthesis cell under automated routing: code tokens to Python's expert, prose to NL.
        page.locator("#ev-score-table td[data-kind=SYNTHESIS][data-language=python]").click();
        page.locator("#ev-samples-title >> text=Synthesis · Python").waitFor();
        String sampleId = "SYNTHESIS/auto/Python/0/0";
        page.locator("#ev-samples tr[data-sample-id='" + sampleId + "']").click();
        page.locator("#ev-sample-id >> text=" + sampleId).waitFor();
        SampleRecord expected = fixture.samples.stream().filter(s -> s.sampleId().equals(sampleId)).findFirst()
                .orElseThrow();
        Locator sample = page.locator("#ev-sample");
        assertThat(sample.locator(".ev-instruction").textContent()).isEqualTo(expected.instruction());
        assertThat(sample.locator(".ev-prefix").textContent()).isEqualTo(expected.responsePrefix());
        Locator tokens = sample.locator("pre.tokens .tok");
        assertThat(tokens.allTextContents()).containsExactlyElementsOf(expected.pieces());
        for (int i = 0; i < expected.routes().size(); i++) {
            assertThat(tokens.nth(i).getAttribute("data-route")).isEqualTo(expected.routes().get(i));
        }
        String pythonColour = background(sample.locator(".tok[data-route=python]").first());
        String nlColour = background(sample.locator(".tok[data-route=nl]").first());
        assertThat(pythonColour).isNotEqualTo(nlColour);
        assertThat(background(sample.locator(".route-legend [data-route=python] .swatch"))).isEqualTo(pythonColour);
        assertThat(background(sample.locator(".route-legend [data-route=nl] .swatch"))).isEqualTo(nlColour);
        assertThat(sample.locator(".route-legend").textContent()).contains("NL 6", "Python 5");
        // The prose after the stop rule's cut was not graded: faded, behind the cut mark.
        assertThat(sample.locator(".tok.after-cut").count()).isEqualTo(6);
        assertThat(sample.locator(".cut").count()).isEqualTo(1);
        assertThat(sample.locator(".ev-program").textContent()).isEqualTo(expected.program());
        assertThat(expected.verdict()).isEqualTo(SandboxVerdict.PASS);
        assertThat(sample.locator(".verdict").first().textContent()).isEqualTo("PASS");
        assertThat(sample.locator(".reason").first().textContent()).isEqualTo(expected.reason());

        // A forced-routing cell leads to its own samples.
        page.locator("svg.specialisation g[data-language=java][data-expert=nl]").click();
        page.locator("#ev-samples-title >> text=Synthesis · Java forced to NL only").waitFor();
        assertThat(page.locator("#ev-samples .pager").textContent()).isEqualTo("1–10 of 10");
        assertThat(browserErrors).isEmpty();

        page.locator("#evaluations-title").scrollIntoViewIfNeeded();
        Path shot = HeadlessChromium.buildDirectory().resolve("evaluation-screenshot.png");
        page.locator("#ev-score-table td[data-kind=SYNTHESIS][data-language=python]").click();
        page.locator("#ev-samples-title >> text=Synthesis · Python").waitFor();
        page.locator("#ev-samples tr[data-sample-id='" + sampleId + "']").click();
        page.locator("#ev-sample-id >> text=" + sampleId).waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        assertThat(Files.size(shot)).isPositive();
        // The parts at their own size, for a reader who wants to check them without the rest of the page.
        page.locator("#ev-results").screenshot(new Locator.ScreenshotOptions()
                .setPath(HeadlessChromium.buildDirectory().resolve("evaluation-results-screenshot.png")));
        page.locator("#ev-sample").screenshot(new Locator.ScreenshotOptions()
                .setPath(HeadlessChromium.buildDirectory().resolve("evaluation-sample-screenshot.png")));
    }

    @Test
    @Order(3)
    void theFormSaysWhatIsWrongThenStartsAnEvaluationAndShowsItRunning() throws Exception {
        page.locator("#ev-score-table").waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        page.fill("#ev-base", "s3://mole/models/nothing-here");
        page.click("#ev-start-button");
        page.waitForSelector("#ev-form-status.bad >> text=base: no base model at s3://mole/models/nothing-here");
        assertThat(page.getAttribute("#ev-base", "class")).contains("invalid");

        page.fill("#ev-base", base);
        for (Locator box : page.locator("#ev-languages input").all()) {
            box.uncheck();
        }
        page.click("#ev-start-button");
        page.waitForSelector("#ev-form-status.bad >> text=languages: no language selected");
        assertThat(page.getAttribute("#ev-languages", "class")).contains("invalid");
        assertThat(page.getAttribute("#ev-base", "class")).doesNotContain("invalid");

        page.check("#ev-languages input[value=python]");
        page.uncheck("#ev-kinds input[value=explain]");
        page.uncheck("#ev-kinds input[value=translation]");
        assertThat(page.isDisabled("#ev-pairs")).as("pairs mean nothing without translation").isTrue();
        page.fill("#ev-limit", "2");
        page.fill("#ev-name-input", "browser start");
        int before = new Http(stack.console.url()).get("/api/evaluations").json().size();
        page.click("#ev-start-button");
        page.waitForSelector("#ev-form-status[data-run-id]:not(.bad)");
        String id = page.getAttribute("#ev-form-status", "data-run-id");
        assertThat(id).matches("[0-9a-f]{64}");

        // No GPU worker: it stays at its generation step, and the page says so while it polls.
        page.locator("#ev-head .ev-phase >> text=generating").waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        assertThat(page.textContent("#ev-head .badge")).isEqualTo("RUNNING");
        assertThat(page.locator("#ev-head .progress-fill.unknown").count()).isEqualTo(1);
        assertThat(page.textContent("#ev-name")).contains("browser start");
        assertThat(page.textContent("#ev-head .ev-settings")).contains("synthesis", "Python", "2 tasks per language");
        Locator row = page.locator("#evaluations-table tr[data-evaluation-id='" + id + "'][data-status=RUNNING]");
        row.waitFor();
        assertThat(row.getAttribute("class")).contains("selected");
        assertThat(row.locator(".mini-progress").count()).isEqualTo(1);
        assertThat(new Http(stack.console.url()).get("/api/evaluations").json().size()).isEqualTo(before + 1);
        page.screenshot(new Page.ScreenshotOptions().setPath(HeadlessChromium.buildDirectory()
                .resolve("evaluation-running-screenshot.png")).setFullPage(true));
        page.locator("#evaluation-detail").screenshot(new Locator.ScreenshotOptions()
                .setPath(HeadlessChromium.buildDirectory().resolve("evaluation-running-detail-screenshot.png")));
        assertThat(browserErrors).isEmpty();
    }

    private String background(Locator l) {
        return (String) l.evaluate("e => getComputedStyle(e).backgroundColor");
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f", 100 * p);
    }

    /** Each target's translation Pass@1, the mean over its sources, as the table's translation column shows it. */
    private static Map<String, Double> translationInto() {
        Map<String, List<Double>> byTarget = new TreeMap<>();
        for (Score s : fixture.scores) {
            if (s.kind() == TaskKind.TRANSLATION) {
                byTarget.computeIfAbsent(s.language().id(), k -> new java.util.ArrayList<>()).add(s.passAt1());
            }
        }
        Map<String, Double> out = new TreeMap<>();
        byTarget.forEach((t, ps) -> out.put(t, ps.stream().mapToDouble(d -> d).average().orElseThrow()));
        return out;
    }
}
