package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.Registration;
import dev.mole.registry.TrainedOutputs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry browser in headless Chromium on the embedded platform: models, versions with lineage and Pass@1, aliases
 * with their history, and the download snippet for the chosen version and languages.
 */
@Tag("browser")
@Tag("stack")
class RegistryBrowserTest extends PageTest {
    private static final double WAIT_MS = 30_000;

    @TempDir
    static Path home;
    static ConsoleStack stack;
    static HeadlessChromium chromium;
    static AdapterRegistry registry;

    @BeforeAll
    static void start() {
        stack = ConsoleStack.start(home);
        chromium = HeadlessChromium.launch();
        var p = stack.local.platform();
        registry = AdapterRegistry.open(p.dataSource(), p.blobStore(), p.bucket());
        TrainedOutputs outputs = new TrainedOutputs(p.blobStore());
        ObjectRef base = outputs.base("browser-base", 1);
        String sha = outputs.baseSha(base);
        registry.createModel("coder", base, "tiny coder", "t");
        for (int s = 1; s <= 2; s++) {
            registry.register(new Registration("coder", outputs.mole("browser-run", new TrainedOutputs.Spec().seed(s).base(sha)),
                    "exp-7", "mole-48+16", Map.of(), "t"));
        }
        registry.recordMetrics("coder", 2, "eval-1", Map.of("pass1.synthesis", 0.375));
        registry.moveAlias("coder", "production", 1, null, "alice");
        registry.moveAlias("coder", "production", 2, 1, "bob");
        registry.deprecate("coder", 1, "superseded by v2", "bob");
    }

    @AfterAll
    static void stop() {
        registry.close();
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
    void showsVersionsLineagePassAt1AliasHistoryAndADownloadSnippet() {
        Locator versions = page.locator("#registry-versions");
        versions.locator("tbody tr[data-version='2']").waitFor(new Locator.WaitForOptions().setTimeout(WAIT_MS));
        assertThat(page.locator("#registry-models tbody tr[data-model=coder]").getAttribute("class")).contains("selected");
        Locator v2 = versions.locator("tr[data-version='2']");
        assertThat(v2.locator("td[data-metric='pass1.synthesis']").textContent()).isEqualTo("37.5");
        assertThat(v2.textContent()).contains("exp-7").contains("mole-48+16").contains("production").contains("python");
        assertThat(versions.locator("tr[data-version='1']").getAttribute("class")).contains("deprecated");
        assertThat(versions.locator("tr[data-version='1'] .badge").getAttribute("title")).isEqualTo("superseded by v2");

        Locator history = page.locator("#registry-aliases .alias[data-alias=production] li");
        assertThat(history.allTextContents()).hasSize(2);
        assertThat(history.nth(0).textContent()).startsWith("created → v1 by alice");
        assertThat(history.nth(1).textContent()).startsWith("v1 → v2 by bob");

        Locator snippet = page.locator("#registry-snippet");
        assertThat(snippet.textContent()).contains("./mole registry download coder@production --languages python")
                .contains("client.resolve(\"coder\", \"production\")");
        page.locator("#registry-snippet-languages input[value=rust]").check();
        assertThat(snippet.textContent()).contains("--languages python,rust").contains("List.of(\"python\", \"rust\")");
        page.locator("#registry-snippet-version").selectOption(":1");
        assertThat(snippet.textContent()).contains("download coder:1 --languages python,rust")
                .contains("/api/v1/models/coder/versions/1/download?languages=python,rust");
        assertThat(browserErrors).isEmpty();
    }
}
