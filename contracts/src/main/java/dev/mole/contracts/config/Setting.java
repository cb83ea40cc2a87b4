package dev.mole.contracts.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting of the platform, in one place: its key, the environment variable that sets it too, its default and
 * what it does. {@code docs/configuration.md} is generated from this list ({@link #reference()}), and
 * {@code ConfigurationReferenceTest} fails when the page differs from it or when code reads a {@code mole.*} key or a
 * {@code MOLE_*} variable that is not listed here, so the reference cannot drift from the code.
 *
 * <p>A setting is read from the system property named by its key, else the environment variable named by the key in
 * upper case with dots and dashes as underscores, else its default.
 */
public enum Setting {
    HOME("mole.home", "~/.mole", "Platform home: the embedded services' data, the pid file, the GPU worker's scratch "
            + "space, the default curation input root."),
    BIND_ADDRESS("mole.bind-address", "127.0.0.1", "Address every embedded service, the console and the workers' "
            + "endpoints bind to. Nothing binds beyond loopback unless this is set."),
    TEMPORAL_TARGET("mole.temporal.target", "(embedded)", "host:port of a Temporal cluster; unset starts Temporal's "
            + "Java test server (history in memory) on the bind address."),
    TEMPORAL_NAMESPACE("mole.temporal.namespace", "default", "Temporal namespace of every workflow."),
    TEMPORAL_PORT("mole.temporal.port", "7233", "Port of the embedded Temporal server (0 = any free port)."),
    JDBC_URL("mole.jdbc.url", "(embedded)", "JDBC URL of PostgreSQL; unset starts an embedded PostgreSQL server."),
    JDBC_USER("mole.jdbc.user", "postgres", "PostgreSQL user."),
    JDBC_PASSWORD("mole.jdbc.password", "", "PostgreSQL password."),
    POSTGRES_PORT("mole.postgres.port", "15432", "Port of the embedded PostgreSQL server (0 = any free port)."),
    S3_ENDPOINT("mole.s3.endpoint", "(embedded)", "URL of an S3-compatible store (MinIO); unset starts the embedded "
            + "S3 server. Workers on other hosts need an address they can reach: presigned URLs carry it."),
    S3_ACCESS_KEY("mole.s3.access-key", "", "S3 access key (the embedded server generates its own and keeps it in "
            + "the home)."),
    S3_SECRET_KEY("mole.s3.secret-key", "", "S3 secret key."),
    S3_PORT("mole.s3.port", "19000", "Port of the embedded S3 server (0 = any free port)."),
    S3_BUCKET("mole.s3.bucket", "mole", "Bucket holding datasets, checkpoints, adapters and evaluation samples."),
    CONSOLE_PORT("mole.console.port", "8080", "Port of the web console and its REST API."),
    CURATION_INPUT_ROOTS("mole.curation.input-roots", "<home>/inputs", "Local folders (':'-separated) whose files a "
            + "curation may read; anything else must be given as an s3:// object (./mole curate uploads it)."),
    CURATION_HEARTBEAT_TIMEOUT("mole.curation.heartbeat-timeout", "30", "Seconds without a heartbeat "
            + "after which a curation activity is retried on another CPU worker."),
    EVALUATION_CHUNK("mole.evaluation.chunk", "64", "Generations per GPU activity of an evaluation: the most a killed "
            + "GPU worker costs."),
    EVALUATION_BATCH("mole.evaluation.batch", "100", "Programs per sandbox activity of an evaluation."),
    GENERATION_BATCH("mole.generation.batch", "32", "Rows the GPU worker decodes together in evaluation generation."),
    DEVICE("mole.device", "auto", "Device of the GPU-queue worker: auto (a GPU when DJL finds one, else the CPU), "
            + "cpu, or gpu / gpu:N."),
    HUMANEVALPACK_DIR("mole.humanevalpack.dir", "(shipped copy)", "A folder with another copy of HumanEvalPack in the "
            + "shipped layout."),
    SANDBOX_WORK_DIR("mole.sandbox.workDir", "/var/tmp/mole-sandbox", "Run directories and compile caches of the "
            + "sandbox worker; every directory on its path must be traversable by other uids."),
    SANDBOX_FIRST_UID("mole.sandbox.first-uid", "200000 + 128 x (pid mod 10000)", "Host uid of the sandbox's first "
            + "slot; the worker uses the next 128. Set it where only some uids exist (a pod with its own user namespace "
            + "maps 65,536)."),
    SANDBOX_NODE_MODULES("mole.sandbox.node-modules", "(vendored js-md5)", "node_modules mounted read-only for "
            + "JavaScript programs."),
    OPS_PORT("mole.ops.port", "0", "Port of a process's /health, /ready and /metrics endpoints (0 = any free port, "
            + "printed at start)."),
    REGISTRY_READS_NEED_TOKEN("mole.registry.reads-need-token", "false", "true: the registry API asks a bearer token "
            + "of reads too (writes always need one)."),
    REGISTRY_TOKEN("mole.registry.token", "", "Bearer token a registry client (./mole registry, the downstream example) "
            + "sends."),
    JAVA_OPTS("mole.java-opts", "", "Extra JVM options the ./mole launcher passes to java (environment only).");

    private final String key;
    private final String defaultText;
    private final String description;

    Setting(String key, String defaultText, String description) {
        this.key = key;
        this.defaultText = defaultText;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** {@code mole.s3.access-key} → {@code MOLE_S3_ACCESS_KEY}. */
    public String envName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** The value from these sources (system property first, then environment); blank counts as unset. */
    public Optional<String> read(Map<String, String> env, Function<String, String> properties) {
        String v = properties.apply(key);
        if (v == null || v.isBlank()) {
            v = env.get(envName());
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The value from this process's system properties and environment. */
    public Optional<String> read() {
        return read(System.getenv(), System::getProperty);
    }

    /** A setting that must be a whole number, with a message naming it otherwise. */
    public int readInt(int dflt) {
        return read().map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + " (" + envName() + ") must be a whole number, got '"
                        + v + "'");
            }
        }).orElse(dflt);
    }

    /** The Markdown page {@code docs/configuration.md}. */
    public static String reference() {
        String rows = Arrays.stream(values())
                .map(s -> "| `" + s.key + "` | `" + s.envName() + "` | " + (s.defaultText.isEmpty() ? "" : "`" + s.defaultText + "`")
                        + " | " + s.description.replace("|", "\\|") + " |")
                .collect(Collectors.joining("\n"));
        return """
                # Configuration reference

                Generated from `dev.mole.contracts.config.Setting`; `ConfigurationReferenceTest` fails when this page \
                and the code differ. Each setting is read from the Java system property (`-Dkey=value`), else the \
                environment variable, else its default.

                | property | environment | default | what it does |
                | --- | --- | --- | --- |
                """ + rows + "\n";
    }
}
