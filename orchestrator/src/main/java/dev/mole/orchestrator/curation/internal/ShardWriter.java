package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.CodeBlock;

import dev.mole.contracts.language.Language;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one shard: gzip-compressed JSONL, one record per line, hashed and counted on the way to disk.
 *
 * <p>Determinism: {@link GZIPOutputStream} writes a fixed 10-byte header (modification time 0, no file name, OS 0), so
 * equal records give equal bytes on the same JDK (the bundled zlib decides the deflate stream). BEST_SPEED because the
 * write pass is bound by compression, and the shards are read once per epoch.
 */
public final class ShardWriter implements AutoCloseable {

    /** The finished file and its facts. */
    public record Finished(Path file, long rows, long bytes, String sha256) {}

    private final Path file;
    private final HashingOutputStream hashing;
    private final JsonGenerator json;
    private long rows;
    private boolean closed;

    public ShardWriter(Path file, JsonFactory factory) throws IOException {
        this.file = file;
        this.hashing = new HashingOutputStream(Files.newOutputStream(file));
        GZIPOutputStream gzip = new GZIPOutputStream(hashing, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        this.json = factory.createGenerator(gzip, JsonEncoding.UTF8);
        // records are separated by our own '\n', not by Jackson's default root separator (a space)
        this.json.setRootValueSeparator(null);
    }

    public void write(long id, String question, String answer, Language language, List<CodeBlock> questionBlocks,
            List<CodeBlock> answerBlocks) throws IOException {
        JsonGenerator g = json;
        g.writeStartObject();
        g.writeNumberField("id", id);
        g.writeStringField("question", question);
        g.writeStringField("answer", answer);
        g.writeStringField("language", language.id());
        g.writeArrayFieldStart("spans");
        spans(g, "question", questionBlocks);
        spans(g, "answer", answerBlocks);
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        rows++;
    }

    private static void spans(JsonGenerator g, String field, List<CodeBlock> blocks) throws IOException {
        for (CodeBlock b : blocks) {
            g.writeStartObject();
            g.writeStringField("field", field);
            g.writeNumberField("start", b.spanStart());
            g.writeNumberField("end", b.spanEnd());
            g.writeStringField("language", b.language().id());
            g.writeEndObject();
        }
    }

    public long rows() {
        return rows;
    }

    public Finished finish() throws IOException {
        close();
        return new Finished(file, rows, hashing.count, HexFormat.of().formatHex(hashing.digest.digest()));
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            json.close(); // closes gzip (writes the trailer) and the file
        }
    }

    private static final class HashingOutputStream extends FilterOutputStream {
        final MessageDigest digest;
        long count;

        HashingOutputStream(OutputStream out) {
            super(out);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }
    }
}
