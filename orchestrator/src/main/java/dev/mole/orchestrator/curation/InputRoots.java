package dev.mole.orchestrator.curation;

import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The local folders a curation may read its input from ({@code mole.curation.input-roots}). A curation request names
 * its input by a string that anyone who can reach the API writes, and the worker reads it with its own rights; without
 * this check the API reads any file the worker can (a private key, another user's data). The check is on the real
 * path, so a symbolic link inside a root that points outside it is refused too. Object-store inputs are not local and
 * always pass.
 */
public record InputRoots(List<Path> roots) {

    public InputRoots {
        roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    }

    /** Whether a local file lies inside one of the roots once every link is followed. */
    public boolean allows(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return false;
        }
        for (Path root : roots) {
            try {
                if (Files.isDirectory(root) && real.startsWith(root.toRealPath())) {
                    return true;
                }
            } catch (IOException e) {
                // a root that does not exist allows nothing
            }
        }
        return false;
    }

    /** Refuses a local input ({@code uri} not {@code s3://}) outside the roots, saying how to submit it instead. */
    public void requireAllowed(String uri) {
        if (!ObjectRef.isObjectUri(uri)) {
            requireAllowed(Path.of(uri));
        }
    }

    void requireAllowed(Path file) {
        if (!Files.exists(file)) {
            return; // the reader reports a missing file with its own message
        }
        if (!allows(file)) {
            throw new CurationInputException("local input " + file.toAbsolutePath() + " is outside the folders curation "
                    + "may read " + roots + ": upload it to the object store and give its s3:// URI (./mole curate "
                    + "does this for a local file), or add its folder to mole.curation.input-roots");
        }
    }
}
