package dev.mole.gpu.training;

import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Identity of a base checkpoint folder: sha256 of the sorted lines "name sha256" of its model-defining files. */
public final class BaseModelHash {
    private BaseModelHash() {}

    public static String of(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals("config.json") || n.equals("tokenizer.json") || n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder();
        for (Path p : files) sb.append(p.getFileName()).append(' ').append(Sha256.of(p)).append('\n');
        return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
