package dev.mole.sandbox;

import java.util.Map;

/** Source files ready to compile or run, keyed by file name relative to the program's source directory. */
public record AssembledProgram(Language language, Map<String, String> files, String mainFile) {
    public AssembledProgram {
        files = Map.copyOf(files);
        if (!files.containsKey(mainFile)) {
            throw new IllegalArgumentException("main file " + mainFile + " not among " + files.keySet());
        }
    }

    public String mainSource() {
        return files.get(mainFile);
    }
}
