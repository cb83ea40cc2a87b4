package dev.mole.contracts.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.AdapterManifest.ComponentKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdapterManifestTest {

    private static AdapterManifest mole(Map<String, String> files) {
        return new AdapterManifest(AdapterManifest.FORMAT, "MOLE", "MOLE", "SHARED_FIRST", "RANDOMIZED", 48, 16, 1234,
                List.of(new AdapterManifest.Adapter("shared", null, 48, 32, 32 / Math.sqrt(48), "adapter-shared.safetensors"),
                        new AdapterManifest.Adapter("expert_python", null, 16, 16, 4, "adapter-expert_python.safetensors"),
                        new AdapterManifest.Adapter("nl", null, 64, 32, 4, "adapter-nl.safetensors")),
                "base-residual-factors.safetensors", "key", "base", "ds", 1, TrainingHyperParameters.paper(), 10, 0,
                Map.of("main", Map.of("all", 1.0)), files, null);
    }

    @Test
    void roundTripsItsJsonAndClassifiesEveryFile() {
        AdapterManifest m = mole(Map.of("adapter-shared.safetensors", "a", "adapter-expert_python.safetensors", "b",
                "adapter-nl.safetensors", "c", "base-residual-factors.safetensors", "d"));
        AdapterManifest back = AdapterManifest.parse(m.toJson());
        assertThat(back).isEqualTo(m);
        assertThat(back.components()).extracting(AdapterManifest.Component::kind).containsExactly(ComponentKind.EXPERT,
                ComponentKind.NL, ComponentKind.SHARED, ComponentKind.FACTORS);
        assertThat(back.components().get(0).language()).isEqualTo(Language.PYTHON);
        assertThat(back.components().get(3).rank()).isEqualTo(64);
    }

    @Test
    void readsTheWorkersManifestsWithFieldsItDoesNotKnowAndRefusesOtherFormats() {
        String json = "{\"format\":\"mole-trained/1\",\"method\":\"ALL_LANG\",\"layout\":\"SINGLE\",\"sharedRank\":4,\"adapters\":"
                + "[{\"name\":\"lora\",\"rank\":4,\"alpha\":32,\"scale\":16,\"file\":\"adapter-lora.safetensors\"}],"
                + "\"files\":{\"adapter-lora.safetensors\":\"x\",\"peft/adapter_config.json\":\"y\"},\"later\":1}";
        AdapterManifest m = AdapterManifest.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(m.components()).extracting(AdapterManifest.Component::kind).containsExactly(ComponentKind.LORA, ComponentKind.PEFT);
        assertThatThrownBy(() -> AdapterManifest.parse("{\"format\":\"svd-factors/1\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format svd-factors/1, expected mole-trained/1");
        assertThatThrownBy(() -> AdapterManifest.parse("nope".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a trained-model manifest");
        assertThatThrownBy(() -> mole(Map.of("stray.bin", "z")).components()).hasMessageContaining("lists stray.bin");
    }
}
