package dev.mole.gpu.training;

import dev.mole.contracts.storage.BaseModelIdentity;
import java.util.Map;
import java.util.TreeMap;

import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Identity of a base checkpoint folder: sha256 of the sorted lines "name sha256" of its model-defining files. */
public final class BaseModelHash {
    private BaseModelHash() {}

    public static String of(Path dir) {
        Map<String, String> shas = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> BaseModelIdentity.isModelDefining(p.getFileName().toString())).toList()) {
                shas.put(p.getFileName().toString(), Sha256.of(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BaseModelIdentity.of(shas);
    }
}
