package dev.mole.gpu.evaluation;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.training.ObjectFolders;
import dev.mole.gpu.training.TrainedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The model an evaluation chunk runs on, fetched and loaded once and kept while the next chunks ask for the same one:
 * loading (and for PiSSA adapters rebuilding W_res from the stored factors) costs more than a chunk of short generations.
 * Loaded through {@link TrainedModels}, which checks every file's sha256 and the base model's identity.
 */
final class EvaluatedModels {
    private record Key(ObjectRef base, ObjectRef adapters, Language language) {}

    private final BlobStore store;
    private final Path workDir;
    private final ModelOptions options;
    private Key loadedKey;
    private LlamaModel loaded;

    EvaluatedModels(BlobStore store, Path workDir, ModelOptions options) {
        this.store = store;
        this.workDir = workDir;
        this.options = options;
    }

    synchronized LlamaModel load(ObjectRef base, ObjectRef adapters, Language adapterLanguage) {
        Key key = new Key(base, adapters, adapterLanguage);
        if (Objects.equals(key, loadedKey)) return loaded;
        if (loaded != null) {
            loaded.close();
            loaded = null;
            loadedKey = null;
        }
        try {
            Path baseDir = ObjectFolders.download(store, base, workDir.resolve("models").resolve(folderName(base)), "base checkpoint");
            if (adapters == null) {
                loaded = LlamaModel.load(baseDir, options);
            } else {
                Path outDir = ObjectFolders.download(store, adapters.sibling(""),
                        workDir.resolve("adapters").resolve(folderName(adapters)), "trained output");
                loaded = TrainedModels.load(baseDir, outDir, options, adapterLanguage == null ? null : adapterLanguage.id());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loadedKey = key;
        return loaded;
    }

    private static String folderName(ObjectRef ref) {
        return (ref.bucket() + "_" + ref.key()).replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
