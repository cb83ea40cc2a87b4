package dev.mole.console;

import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A browser test: each test gets a fresh page on the console, and what would leave the page half drawn (a script error,
 * a file of the page that did not load) is collected in {@link #browserErrors} for the test to check.
 */
abstract class PageTest {
    Page page;
    final List<String> browserErrors = Collections.synchronizedList(new ArrayList<>());

    abstract HeadlessChromium chromium();

    /** The console's base URL, without a trailing slash. */
    abstract String consoleUrl();

    @BeforeEach
    void openPage() {
        page = chromium().open(consoleUrl() + "/", browserErrors);
    }

    @AfterEach
    void closePage() {
        page.close();
    }
}
