package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.Registration;
import dev.mole.registry.RegistryStack;
import dev.mole.registry.TrainedOutputs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./mole registry list|show|alias|download}, text and --json, on real PostgreSQL and the in-process S3 server. */
@Tag("stack")
class RegistryCommandTest {

    @Test
    void listShowAliasAndDownload(@TempDir Path dir) throws Exception {
        try (RegistryStack stack = new RegistryStack(dir.resolve("stack")); AdapterRegistry registry = stack.open()) {
            TrainedOutputs outputs = new TrainedOutputs(stack.store);
            ObjectRef base = outputs.base("cli", 1);
            registry.createModel("coder", base, "cli test", "t");
            for (int s = 1; s <= 2; s++) {
                registry.register(new Registration("coder", outputs.mole("cli-run", new TrainedOutputs.Spec().seed(s).base(outputs.baseSha(base))),
                        "exp-1", "mole", Map.of(), "t"));
            }
            registry.recordMetrics("coder", 2, "eval-1", Map.of("pass1.synthesis", 0.25));

            assertThat(run(registry, dir, "list")).contains("coder").contains("2");
            assertThat(run(registry, dir, "alias", "coder", "production", "2")).contains("coder@production: created -> v2");
            assertThat(run(registry, dir, "alias", "coder", "production", "1", "--expect", "2")).contains("v2 -> v1");
            assertThatThrownBy(() -> run(registry, dir, "alias", "coder", "production", "2", "--expect", "2"))
                    .hasMessageContaining("points at version 1, not version 2");
            String show = run(registry, dir, "show", "coder");
            assertThat(show).contains("exp-1/mole").contains("0.250").contains("[production]");
            assertThat(run(registry, dir, "show", "coder@production")).contains("coder v1").contains("EXPERT");
            JsonNode listJson = new ObjectMapper().readTree(run(registry, dir, "list", "--json"));
            assertThat(listJson.get(0).at("/aliases/production").asInt()).isEqualTo(1);

            Path to = dir.resolve("out");
            JsonNode d = new ObjectMapper().readTree(run(registry, dir, "download", "coder:2", "--languages", "python", "--to", to.toString(),
                    "--cache", dir.resolve("cache").toString(), "--json"));
            assertThat(d.at("/plan/items")).hasSize(5);
            try (var files = Files.list(to)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("manifest.json",
                        "adapter-shared.safetensors", "adapter-nl.safetensors", "adapter-expert_python.safetensors", "base-residual-factors.safetensors");
            }
            assertThat(BaseModelIdentity.sha256(Files.readAllBytes(to.resolve("manifest.json")))).isEqualTo(d.at("/plan/manifestSha256").asText());
            assertThatThrownBy(() -> run(registry, dir, "download", "coder")).hasMessageContaining("name a version: coder:VERSION or coder@ALIAS");
            assertThatThrownBy(() -> run(registry, dir, "show", "coder:9")).hasMessageContaining("has no version 9");
        }
    }

    private static String run(AdapterRegistry registry, Path home, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new RegistryCommand(registry, new PrintStream(buf, true, StandardCharsets.UTF_8), home).run(List.of(args));
        return buf.toString(StandardCharsets.UTF_8);
    }
}
