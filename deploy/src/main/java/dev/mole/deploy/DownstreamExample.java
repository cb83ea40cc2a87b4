package dev.mole.deploy;

import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.Generator;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.training.TrainedModels;
import dev.mole.registry.client.ContentCache;
import dev.mole.registry.client.RegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a downstream app does with the registry (README, "Pulling experts from the registry"): resolve an alias, download
 * the base's residual factors, shared and nl adapters and only the chosen experts (verified, cached by sha256), load
 * them onto the base checkpoint it already has, and generate with automated routing.
 *
 * <pre>
 * java -cp ... dev.mole.deploy.DownstreamExample CONSOLE_URL MODEL@ALIAS|MODEL:VERSION LANGS BASE_DIR QUESTION
 *   (token from MOLE_REGISTRY_TOKEN when reads need one; cache in ~/.cache/mole-registry)
 * </pre>
 */
public final class DownstreamExample {
    private DownstreamExample() {}

    /** Downloads and loads; the caller closes the model. */
    public static LlamaModel load(RegistryClient client, String model, int version, Set<Language> languages, Path baseDir, Path folder) {
        List<String> ids = languages.stream().map(Language::id).toList();
        Path dir = client.download(model, version, ids, folder);
        return TrainedModels.loadExperts(baseDir, dir, ModelOptions.defaults(), languages);
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: DownstreamExample CONSOLE_URL MODEL@ALIAS|MODEL:VERSION python,rust BASE_DIR QUESTION");
            System.exit(2);
        }
        ContentCache cache = new ContentCache(Path.of(System.getProperty("user.home"), ".cache", "mole-registry"));
        RegistryClient client = new RegistryClient(URI.create(args[0]), dev.mole.contracts.config.Setting.REGISTRY_TOKEN.read().orElse(null), cache);
        String target = args[1];
        int at = target.indexOf('@'), colon = target.indexOf(':');
        String model = target.substring(0, at > 0 ? at : colon);
        int version = at > 0 ? client.resolve(model, target.substring(at + 1)) : Integer.parseInt(target.substring(colon + 1));
        Set<Language> languages = EnumSet.noneOf(Language.class);
        Arrays.stream(args[2].split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> languages.add(Language.parse(s)));
        Path folder = Path.of(model + "-v" + version);
        try (LlamaModel m = load(client, model, version, languages, Path.of(args[3]), folder)) {
            System.out.println(new Generator(m).answer(args[4], RoutePolicy.automated(), 256, (t, d, r) -> {}).text());
        }
    }
}
