package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production descriptors cannot be run here (no container engine), so their invariants are checked on every build:
 * images pinned, published ports on loopback only, the GPU pool asking for GPUs, the sandbox pool holding exactly the
 * documented grants and never {@code privileged}, probes on every long-running pod.
 */
class DeployDescriptorsTest {
    private static final Path PRODUCTION = Path.of("production");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A tag with a digit in it: a version, not {@code latest} or a branch name. */
    private static final Pattern PINNED = Pattern.compile("[^:@\\s]+(:[^:\\s]*\\d[^:\\s]*|@sha256:[0-9a-f]{64})");
    private static final Set<String> SANDBOX_CAPABILITIES = Set.of("SETUID", "SETGID", "CHOWN", "FOWNER", "DAC_OVERRIDE", "KILL");

    @Test
    void composeImagesArePinnedAndPortsStayOnLoopback() throws IOException {
        JsonNode services = YAML.readTree(PRODUCTION.resolve("docker-compose.yml").toFile()).get("services");
        assertThat(services.size()).isGreaterThanOrEqualTo(8);
        services.properties().forEach(e -> {
            assertThat(e.getValue().path("image").asText()).as(e.getKey() + "'s image").matches(PINNED);
            for (JsonNode port : e.getValue().path("ports")) {
                assertThat(port.asText()).as(e.getKey() + " publishes " + port.asText()).startsWith("127.0.0.1:");
            }
            assertThat(e.getValue().path("privileged").asBoolean(false)).as(e.getKey() + " privileged").isFalse();
            assertThat(e.getValue().path("network_mode").asText()).as(e.getKey()).isNotEqualTo("host");
        });
        assertThat(services.path("mole-gpu-worker").at("/deploy/resources/reservations/devices/0/capabilities").toString())
                .contains("gpu");
        JsonNode sandbox = services.path("mole-sandbox-worker");
        assertThat(texts(sandbox.path("cap_drop"))).containsExactly("ALL");
        assertThat(new TreeSet<>(texts(sandbox.path("cap_add")))).isEqualTo(new TreeSet<>(SANDBOX_CAPABILITIES));
        assertThat(texts(sandbox.path("security_opt"))).contains("no-new-privileges:true");
        assertThat(sandbox.path("volumes").toString()).as("no host path, least of all the host's cgroups")
                .doesNotContain("/sys/fs/cgroup").doesNotContain("docker.sock");
    }

    @Test
    void kubernetesPodsArePinnedProbedAndTheSandboxHoldsOnlyItsGrants() throws IOException {
        List<JsonNode> deployments = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode doc : documents(PRODUCTION.resolve("kubernetes"))) {
            JsonNode pod = doc.at("/spec/template/spec");
            for (JsonNode c : pod.path("containers")) {
                images.add(c.path("image").asText());
            }
            assertThat(pod.path("hostNetwork").asBoolean(false) || pod.path("hostPID").asBoolean(false)).isFalse();
            if (doc.path("kind").asText().equals("Deployment")) {
                deployments.add(doc);
            }
        }
        assertThat(images).isNotEmpty().allSatisfy(i -> assertThat(i).matches(PINNED));
        assertThat(deployments).extracting(d -> d.at("/metadata/name").asText())
                .contains("mole-console", "mole-cpu-worker", "mole-gpu-worker", "mole-sandbox-worker");
        for (JsonNode d : deployments) {
            JsonNode c = d.at("/spec/template/spec/containers/0");
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).as(d.at("/metadata/name").asText()).isEqualTo("/health");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(d.at("/metadata/name").asText()).isEqualTo("/ready");
            String name = d.at("/metadata/name").asText();
            boolean gpu = !c.at("/resources/limits/nvidia.com~1gpu").isMissingNode();
            assertThat(gpu).as(name + " requests a GPU").isEqualTo(name.equals("mole-gpu-worker"));
            JsonNode security = c.path("securityContext");
            if (name.equals("mole-sandbox-worker")) {
                assertThat(security.path("privileged").asBoolean(true)).isFalse();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
                assertThat(new TreeSet<>(texts(security.at("/capabilities/add")))).isEqualTo(new TreeSet<>(SANDBOX_CAPABILITIES));
                assertThat(d.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
            } else {
                assertThat(security.path("capabilities").path("add").isMissingNode()).as(name + " adds no capability").isTrue();
            }
        }
    }

    @Test
    void everySandboxGrantIsExplainedAndEveryImageStageIsPinned() throws IOException {
        String why = Files.readString(PRODUCTION.resolve("SANDBOX-PRIVILEGES.md"));
        for (String cap : SANDBOX_CAPABILITIES) {
            assertThat(why).as("SANDBOX-PRIVILEGES.md explains " + cap).contains("`" + cap + "`");
        }
        assertThat(why).contains("seccomp").contains("AppArmor").contains("/proc");
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?").matcher(Files.readString(PRODUCTION.resolve("Dockerfile")));
        Set<String> stageNames = new TreeSet<>();
        int stages = 0;
        while (from.find()) {
            stages++;
            if (!stageNames.contains(from.group(1))) { // FROM an earlier stage of the same file needs no tag
                assertThat(from.group(1)).matches(PINNED);
            }
            if (from.group(2) != null) {
                stageNames.add(from.group(2));
            }
        }
        assertThat(stages).isGreaterThanOrEqualTo(3);
    }

    private static List<JsonNode> documents(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> n != null && !n.isEmpty())
                            .forEach(docs::add);
                }
            }
        }
        return docs;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
