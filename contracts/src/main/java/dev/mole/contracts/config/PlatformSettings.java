package dev.mole.contracts.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the platform's components are. A component whose address is unset is started embedded on {@link #bindAddress()}
 * (loopback by default); set it and the same code talks to the real service (a Temporal cluster, PostgreSQL, MinIO).
 *
 * <p>Each setting is read as {@link Setting} says (system property, environment variable, default); the list of them
 * all, with their meaning, is {@code docs/configuration.md}.
 *
 * @param curationInputRoots {@code mole.curation.input-roots}: the local folders (a {@code :}-separated list) whose
 *     files a curation may read; default {@code <home>/inputs}. Anything else must come as an {@code s3://} object
 *     ({@code ./mole curate} uploads a local file outside them), so the API cannot be used to read the server's files.
 */
public record PlatformSettings(
        Path home,
        String bindAddress,
        Optional<String> temporalTarget,
        String temporalNamespace,
        int temporalPort,
        Optional<String> jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        int postgresPort,
        Optional<String> s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        int s3Port,
        String bucket,
        int consolePort,
        List<Path> curationInputRoots) {

    public static PlatformSettings fromEnvironment() {
        return from(System.getenv(), key -> System.getProperty(key));
    }

    /** Reads settings from explicit sources; used by tests to build isolated stacks. */
    public static PlatformSettings from(Map<String, String> env, Function<String, String> properties) {
        Function<Setting, Optional<String>> get = setting -> setting.read(env, properties);
        Path home = get.apply(Setting.HOME).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".mole"));
        return new PlatformSettings(
                home.toAbsolutePath(),
                get.apply(Setting.BIND_ADDRESS).orElse("127.0.0.1"),
                get.apply(Setting.TEMPORAL_TARGET),
                get.apply(Setting.TEMPORAL_NAMESPACE).orElse("default"),
                port(get, Setting.TEMPORAL_PORT, 7233),
                get.apply(Setting.JDBC_URL),
                get.apply(Setting.JDBC_USER).orElse("postgres"),
                get.apply(Setting.JDBC_PASSWORD).orElse(""),
                port(get, Setting.POSTGRES_PORT, 15432),
                get.apply(Setting.S3_ENDPOINT),
                get.apply(Setting.S3_ACCESS_KEY).orElse(""),
                get.apply(Setting.S3_SECRET_KEY).orElse(""),
                port(get, Setting.S3_PORT, 19000),
                get.apply(Setting.S3_BUCKET).orElse("mole"),
                port(get, Setting.CONSOLE_PORT, 8080),
                get.apply(Setting.CURATION_INPUT_ROOTS).map(PlatformSettings::paths)
                        .orElse(List.of(home.toAbsolutePath().resolve("inputs"))));
    }

    private static List<Path> paths(String list) {
        return Arrays.stream(list.split(java.io.File.pathSeparator)).filter(x -> !x.isBlank())
                .map(x -> Path.of(x.trim()).toAbsolutePath().normalize()).toList();
    }

    private static int port(Function<Setting, Optional<String>> get, Setting key, int dflt) {
        return get.apply(key).map(v -> {
            try {
                int p = Integer.parseInt(v);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key.key() + " (" + key.envName() + ") must be a port number "
                        + "(0-65535), got '" + v + "'");
            }
        }).orElse(dflt);
    }

    public boolean embeddedTemporal() {
        return temporalTarget.isEmpty();
    }

    public boolean embeddedPostgres() {
        return jdbcUrl.isEmpty();
    }

    public boolean embeddedS3() {
        return s3Endpoint.isEmpty();
    }

    public PlatformSettings withPorts(int temporal, int postgres, int s3, int console) {
        return new PlatformSettings(home, bindAddress, temporalTarget, temporalNamespace, temporal, jdbcUrl, jdbcUser,
                jdbcPassword, postgres, s3Endpoint, s3AccessKey, s3SecretKey, s3, bucket, console, curationInputRoots);
    }

    /** Another home; input roots left at their default ({@code <home>/inputs}) follow it. */
    public PlatformSettings withHome(Path newHome) {
        Path absolute = newHome.toAbsolutePath();
        List<Path> roots = curationInputRoots.equals(List.of(home.resolve("inputs")))
                ? List.of(absolute.resolve("inputs")) : curationInputRoots;
        return new PlatformSettings(absolute, bindAddress, temporalTarget, temporalNamespace, temporalPort, jdbcUrl,
                jdbcUser, jdbcPassword, postgresPort, s3Endpoint, s3AccessKey, s3SecretKey, s3Port, bucket, consolePort,
                roots);
    }

    /** Local folders whose files curation may read (an input elsewhere must be uploaded to the object store first). */
    public PlatformSettings withCurationInputRoots(List<Path> roots) {
        return new PlatformSettings(home, bindAddress, temporalTarget, temporalNamespace, temporalPort, jdbcUrl, jdbcUser,
                jdbcPassword, postgresPort, s3Endpoint, s3AccessKey, s3SecretKey, s3Port, bucket, consolePort,
                List.copyOf(roots));
    }
}
