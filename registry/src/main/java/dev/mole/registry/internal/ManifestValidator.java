package dev.mole.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.training.AdapterManifest;
import dev.mole.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Refuses a trained output that does not fit its model, with every reason found: another base, ranks that disagree with
 * the manifest's own, tensor shapes that do not fit the base's config (read from the files' safetensors headers), or a
 * PEFT export whose {@code adapter_config.json} is incomplete or disagrees with the adapter (docs/architecture.md,
 * "Registry").
 */
final class ManifestValidator {
    private static final Set<String> METHODS = Set.of("MOLE", "ALL_LANG", "PER_LANG", "FULL_FT");
    private static final Set<String> PEFT_TARGETS = Set.of("gate_proj", "up_proj", "down_proj");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> problems = new ArrayList<>();

    private ManifestValidator() {}

    /** What can be checked from the manifest alone, before any file is copied. */
    static void checkManifest(AdapterManifest m, String modelName, String modelBaseSha256) {
        ManifestValidator v = new ManifestValidator();
        v.manifest(m, modelName, modelBaseSha256);
        v.fail();
    }

    /**
     * Shapes and the PEFT config, read through {@code open} (file name -> its verified stored bytes).
     */
    static void checkFiles(AdapterManifest m, BaseShape base, Function<String, InputStream> open) {
        ManifestValidator v = new ManifestValidator();
        v.files(m, base, open);
        v.fail();
    }

    private void manifest(AdapterManifest m, String modelName, String modelBase) {
        if (!METHODS.contains(m.method())) {
            problems.add("method " + m.method() + " has nothing to register (MOLE, ALL_LANG, PER_LANG or FULL_FT)");
            return;
        }
        if (!modelBase.equals(m.baseModelSha256())) {
            problems.add("the adapters were trained on base " + abbrev(m.baseModelSha256()) + ", but model " + modelName
                    + " is over base " + abbrev(modelBase));
        }
        if (m.files().isEmpty()) problems.add("the manifest lists no files");
        try {
            m.components();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (m.method().equals("FULL_FT")) return;
        if (m.layout() == null) problems.add("the manifest names no adapter layout");
        boolean pissa = m.init() != null && !m.init().equals("STD");
        if (pissa && m.residualFile() == null) {
            problems.add("init " + m.init() + " moved the top singular components into the adapters, but no residual factors are listed");
        }
        if (!pissa && m.residualFile() != null) problems.add("std init leaves the base as it is, yet residual factors are listed");
        if (m.residualFile() != null && !m.files().containsKey(m.residualFile())) {
            problems.add("the residual factors " + m.residualFile() + " are not among the manifest's files");
        }
        if (m.adapters().isEmpty()) problems.add("the manifest lists no adapters");
        for (AdapterManifest.Adapter a : m.adapters()) {
            if (!m.files().containsKey(a.file())) problems.add("adapter " + a.name() + "'s file " + a.file() + " is not among the manifest's files");
            int want = expectedRank(m, a);
            if (a.rank() != want) problems.add("adapter " + a.name() + " has rank " + a.rank() + ", the manifest's ranks say " + want);
            double scale = a.alpha() / Math.sqrt(a.rank());
            if (a.rank() > 0 && Math.abs(scale - a.scale()) > 1e-9 * Math.max(1, scale)) {
                problems.add("adapter " + a.name() + " records scale " + a.scale() + ", rsLoRA's alpha/sqrt(r) is " + scale);
            }
        }
    }

    private static int expectedRank(AdapterManifest m, AdapterManifest.Adapter a) {
        String n = a.name();
        if (n.equals("lora") || n.equals("shared")) return m.sharedRank();
        if (n.equals("nl")) return m.sharedRank() + m.expertRank();
        return m.expertRank(); // expert_<lang>, expert_nl
    }

    private void files(AdapterManifest m, BaseShape base, Function<String, InputStream> open) {
        if (m.method().equals("FULL_FT")) return;
        for (AdapterManifest.Adapter a : m.adapters()) {
            Map<String, long[]> shapes = shapes(open, a.file());
            if (shapes == null) continue;
            expect(a.file(), shapes, base, "model.layers.%d.mlp.%s", ".lora_A.weight", ".lora_B.weight", a.rank(), true);
        }
        if (m.residualFile() != null) {
            Map<String, long[]> shapes = shapes(open, m.residualFile());
            if (shapes != null) {
                expect(m.residualFile(), shapes, base, "model.layers.%d.mlp.%s", ".SVt", ".U", m.sharedRank() + m.expertRank(), true);
            }
        }
        if (m.files().keySet().stream().anyMatch(f -> f.startsWith(AdapterManifest.PEFT_DIR + "/"))) peft(m, base, open);
    }

    /**
     * Every layer and projection has {@code a} [r, in] and {@code b} [out, r]: A/B of a LoRA, SVt/U of the factors.
     */
    private void expect(String file, Map<String, long[]> shapes, BaseShape base, String prefix, String a, String b, int r,
                        boolean exact) {
        int found = 0;
        for (int l = 0; l < base.layers(); l++) {
            for (String proj : BaseShape.PROJECTIONS) {
                String p = String.format(prefix, l, proj);
                int[] io = base.inOut(proj);
                found += tensor(file, shapes, p + a, new long[] {r, io[0]}) + tensor(file, shapes, p + b, new long[] {io[1], r});
            }
        }
        if (exact && found == 6 * base.layers() && shapes.size() != found) {
            problems.add(file + " holds " + (shapes.size() - found) + " tensors beyond the base's " + base.layers() + " layers");
        }
    }

    private int tensor(String file, Map<String, long[]> shapes, String name, long[] want) {
        long[] have = shapes.get(name);
        if (have == null) {
            if (problems.size() < 20) problems.add(file + " lacks " + name);
            return 0;
        }
        if (!Arrays.equals(have, want)) {
            if (problems.size() < 20) {
                problems.add(file + ": " + name + " is " + Arrays.toString(have) + ", the base and the manifest say " + Arrays.toString(want));
            }
            return 0;
        }
        return 1;
    }

    private void peft(AdapterManifest m, BaseShape base, Function<String, InputStream> open) {
        String cfgName = AdapterManifest.PEFT_DIR + "/adapter_config.json", weights = AdapterManifest.PEFT_DIR + "/adapter_model.safetensors";
        if (!m.files().containsKey(cfgName)) {
            problems.add("the PEFT export has no adapter_config.json");
            return;
        }
        if (m.adapters().size() != 1) {
            problems.add("a PEFT export is of a single LoRA, but the manifest lists " + m.adapters().size() + " adapters");
            return;
        }
        JsonNode c;
        try (InputStream in = open.apply(cfgName)) {
            c = JSON.readTree(in);
        } catch (IOException e) {
            problems.add(cfgName + " is not JSON: " + e.getMessage());
            return;
        }
        for (String key : List.of("peft_type", "task_type", "r", "lora_alpha", "use_rslora", "target_modules")) {
            if (!c.hasNonNull(key)) problems.add(cfgName + " lacks " + key);
        }
        if (!problems.isEmpty()) return;
        AdapterManifest.Adapter a = m.adapters().get(0);
        boolean pissa = m.residualFile() != null;
        int r = pissa ? 2 * a.rank() : a.rank();
        double alpha = pissa ? a.alpha() * Math.sqrt(2) : a.alpha();
        if (!"LORA".equals(c.get("peft_type").asText())) problems.add(cfgName + ": peft_type is " + c.get("peft_type").asText() + ", not LORA");
        if (!c.get("use_rslora").asBoolean(false)) {
            problems.add(cfgName + ": use_rslora is false, but the adapter was trained with rsLoRA's scale alpha/sqrt(r)");
        }
        if (c.get("r").asInt() != r) {
            problems.add(cfgName + ": r is " + c.get("r").asInt() + ", the adapter's rank " + a.rank() + (pissa ? " with the PiSSA residual folded in makes " : " makes ") + r);
        }
        if (Math.abs(c.get("lora_alpha").asDouble() - alpha) > 1e-6 * Math.max(1, alpha)) {
            problems.add(cfgName + ": lora_alpha is " + c.get("lora_alpha").asDouble() + ", " + alpha + " keeps the adapter's scale");
        }
        Set<String> targets = new TreeSet<>();
        c.get("target_modules").forEach(t -> targets.add(t.asText()));
        if (!targets.equals(PEFT_TARGETS)) {
            problems.add(cfgName + ": target_modules are " + targets + ", the adapters are on " + new TreeSet<>(PEFT_TARGETS));
        }
        if (!m.files().containsKey(weights)) {
            problems.add("the PEFT export has no adapter_model.safetensors");
            return;
        }
        Map<String, long[]> shapes = shapes(open, weights);
        if (shapes != null) {
            expect(weights, shapes, base, "base_model.model.model.layers.%d.mlp.%s", ".lora_A.weight", ".lora_B.weight", r, true);
        }
    }

    private Map<String, long[]> shapes(Function<String, InputStream> open, String file) {
        try (InputStream in = open.apply(file)) {
            return SafetensorsHeader.shapes(in, file);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fail() {
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("refused: " + String.join("; ", problems));
        }
    }

    private static String abbrev(String sha) {
        return sha == null ? "(none recorded)" : sha.substring(0, Math.min(12, sha.length()));
    }
}
