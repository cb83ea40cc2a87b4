package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Debian's Chromium driven by Playwright, headless, for the page tests; nothing is downloaded. */
final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of(System.getProperty("mole.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static HeadlessChromium launch() {
        assertThat(CHROMIUM).as("Chromium for the browser tests (apt-get install chromium)").isExecutable();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new HeadlessChromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"))));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /**
     * Opens {@code url} in a German-locale page (the console must format numbers the same everywhere) and collects into
     * {@code errors} what would leave it half drawn: script errors, console errors, and failed loads of its own files.
     */
    Page open(String url, List<String> errors) {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900).setLocale("de-DE"));
        page.onPageError(errors::add);
        page.onConsoleMessage(m -> {
            // Refused API calls are logged by the browser too; those are the answers the tests provoke.
            if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) {
                errors.add(m.text());
            }
        });
        page.onResponse(r -> {
            if (r.status() >= 400 && !r.url().contains("/api/")) {
                errors.add(r.status() + " " + r.url());
            }
        });
        page.navigate(url);
        return page;
    }

    /** The build directory (test-classes lives directly in it, whatever -Dmole.target names it), for screenshots. */
    static Path buildDirectory() throws URISyntaxException {
        return Path.of(HeadlessChromium.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    @Override
    public void close() {
        playwright.close();
    }
}
