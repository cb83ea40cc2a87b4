package dev.mole.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configuration page is {@link Setting#reference()}, and every setting the code reads is a {@link Setting}. */
class ConfigurationReferenceTest {
    /** The repository root: tests run in the module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern KEY = Pattern.compile("\"(mole\\.[a-z][A-Za-z0-9.\\-]*)\"");
    private static final Pattern ENV = Pattern.compile("\\bMOLE_[A-Z0-9_]+\\b");
    /** Strings of that shape that are not settings: the pid file's name and the metrics' Micrometer names. */
    private static final Set<String> NOT_SETTINGS = Set.of("mole.pid", "mole.runs", "mole.training.loss", "mole.training.step",
            "mole.training.step.target", "mole.training.steps", "mole.training.tokens.per.second", "mole.sandbox.batch",
            "mole.sandbox.programs", "mole.task.queue.backlog", "mole.task.queue.backlog.supported");

    @Test
    void thePageIsGeneratedFromTheSettings() throws IOException {
        Path page = ROOT.resolve("docs/configuration.md");
        assertThat(Files.exists(page) ? Files.readString(page) : "")
                .as("docs/configuration.md is stale: write Setting.reference() to it (the test printed it below)")
                .isEqualTo(printed(Setting.reference()));
    }

    @Test
    void everySettingTheCodeReadsIsListed() throws IOException {
        Set<String> keys = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
        Set<String> envs = Arrays.stream(Setting.values()).map(Setting::envName).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(ConfigurationReferenceTest::isProductSource).toList()) {
                String text = Files.readString(f);
                Matcher k = KEY.matcher(text);
                while (k.find()) {
                    if (!keys.contains(k.group(1)) && !NOT_SETTINGS.contains(k.group(1))) {
                        unknown.add(k.group(1) + " in " + ROOT.relativize(f));
                    }
                }
                Matcher e = ENV.matcher(text);
                while (e.find()) {
                    if (!envs.contains(e.group())) {
                        unknown.add(e.group() + " in " + ROOT.relativize(f));
                    }
                }
            }
        }
        assertThat(unknown).as("settings read by the code but missing from dev.mole.contracts.config.Setting").isEmpty();
    }

    /** One way to read a setting: through {@link Setting}, so that every reader honours property, variable and default. */
    @Test
    void noCodeReadsASettingAroundTheSettingType() throws IOException {
        Pattern direct = Pattern.compile("(System\\.getProperty|System\\.getenv|Integer\\.getInteger|Boolean\\.getBoolean|Long\\.getLong)"
                + "\\(\\s*\"(mole\\.|MOLE_)");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(ConfigurationReferenceTest::isProductSource).filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = direct.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(ROOT.relativize(f) + ": " + m.group());
                }
            }
        }
        assertThat(found).as("settings read directly instead of through Setting.read()").isEmpty();
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(Setting.S3_ACCESS_KEY.envName()).isEqualTo("MOLE_S3_ACCESS_KEY");
        assertThat(Setting.SANDBOX_WORK_DIR.envName()).isEqualTo("MOLE_SANDBOX_WORKDIR");
        assertThat(Arrays.stream(Setting.values()).map(Setting::envName).distinct().count()).isEqualTo(Setting.values().length);
    }

    /** Main sources, the launcher script and the deployment files; not tests, which set settings for themselves. */
    private static boolean isProductSource(Path f) {
        String rel = ROOT.relativize(f).toString().replace('\\', '/');
        if (rel.contains("/target/") || rel.startsWith(".git/") || rel.contains("/node_modules/") || !Files.isRegularFile(f)) {
            return false;
        }
        return rel.equals("mole") || rel.matches("[^/]+/src/main/.*\\.java") || rel.startsWith("deploy/production/");
    }

    private static String printed(String page) {
        System.out.println(page);
        return page;
    }
}
