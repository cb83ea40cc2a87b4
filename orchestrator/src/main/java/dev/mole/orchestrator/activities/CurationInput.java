package dev.mole.orchestrator.activities;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.curation.CurationInputException;
import dev.mole.orchestrator.curation.RowSource;
import dev.mole.orchestrator.curation.RowSources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The curation input, wherever it lives: a local file or an object. Parquet needs random access, so an object-store
 * Parquet file is copied to a private temporary file first; JSONL streams straight from the store.
 */
final class CurationInput implements AutoCloseable {
    private final String uri;
    private final String format;
    private final BlobStore blobs;
    private Path localCopy;

    CurationInput(String uri, String format, BlobStore blobs) {
        this.uri = uri;
        this.format = format;
        this.blobs = blobs;
    }

    /** Raw bytes of the input, for its content hash. */
    InputStream openBytes() throws IOException {
        if (ObjectRef.isObjectUri(uri)) {
            ObjectRef ref = ObjectRef.parse(uri);
            if (!blobs.exists(ref)) {
                throw new CurationInputException("no object at " + uri);
            }
            return blobs.open(ref);
        }
        Path p = Path.of(uri);
        if (!Files.exists(p)) {
            throw new CurationInputException("input file not found: " + p.toAbsolutePath());
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new CurationInputException("input is not a readable file: " + p.toAbsolutePath());
        }
        return Files.newInputStream(p);
    }

    long size() throws IOException {
        if (ObjectRef.isObjectUri(uri)) {
            return blobs.size(ObjectRef.parse(uri)).orElse(-1L);
        }
        return Files.size(Path.of(uri));
    }

    RowSource openRows(String questionField, String answerField) throws IOException {
        if (!ObjectRef.isObjectUri(uri)) {
            return RowSources.open(Path.of(uri), format, questionField, answerField);
        }
        if (format.equals("jsonl")) {
            return RowSources.jsonl(openBytes(), questionField, answerField);
        }
        if (localCopy == null) {
            Path tmp = Files.createTempFile("mole-input-", ".parquet");
            try (InputStream in = openBytes()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            localCopy = tmp;
        }
        return RowSources.open(localCopy, "parquet", questionField, answerField);
    }

    @Override
    public void close() throws IOException {
        if (localCopy != null) {
            Files.deleteIfExists(localCopy);
        }
    }
}
