package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import java.util.Map;
import java.util.Objects;

/**
 * Source files ready to compile or run, keyed by file name relative to the program's source directory.
 *
 * @param marker the line the program prints once its tests have run to their end; a run without it did not finish
 */
public record AssembledProgram(Language language, Map<String, String> files, String mainFile, CompletionMarker marker) {
    public AssembledProgram {
        files = Map.copyOf(files);
        if (!files.containsKey(mainFile)) {
            throw new IllegalArgumentException("main file " + mainFile + " not among " + files.keySet());
        }
        Objects.requireNonNull(marker, "marker");
    }

    public String mainSource() {
        return files.get(mainFile);
    }
}
