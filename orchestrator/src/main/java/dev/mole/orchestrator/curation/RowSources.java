package dev.mole.orchestrator.curation;

import dev.mole.orchestrator.curation.internal.JsonlRowSource;
import dev.mole.orchestrator.curation.internal.ParquetRowSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens inputs as {@link RowSource}s. */
public final class RowSources {
    private RowSources() {}

    /**
     * Opens a local file.
     *
     * @param format {@code jsonl}, {@code parquet} or {@code auto}: {@code *.parquet} is Parquet; {@code *.jsonl},
     *               {@code *.json}, {@code *.jsonl.gz}, {@code *.json.gz} are JSON Lines; anything else is an error
     * @throws CurationInputException when the file is missing, is a directory, the format is unknown, or Parquet cannot
     *                                be read or lacks a field
     */
    public static RowSource open(Path file, String format, String questionField, String answerField)
            throws IOException {
        if (!Files.exists(file)) {
            throw new CurationInputException("Input file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new CurationInputException("Input is not a regular file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new CurationInputException("Input file is not readable: " + file);
        }
        String kind = resolveFormat(file.getFileName().toString(), format);
        if (kind.equals("parquet")) {
            return new ParquetRowSource(file, questionField, answerField);
        }
        return jsonl(Files.newInputStream(file), questionField, answerField);
    }

    /** JSON Lines from a stream (an object-store download); gzip is detected by its magic bytes. */
    public static RowSource jsonl(InputStream in, String questionField, String answerField) {
        return new JsonlRowSource(in, questionField, answerField);
    }

    /** {@code jsonl} or {@code parquet} for a file name and a requested format. */
    public static String resolveFormat(String fileName, String format) {
        String f = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
        switch (f) {
            case "jsonl", "parquet" -> {
                return f;
            }
            case "auto" -> {
                String name = fileName.toLowerCase(Locale.ROOT);
                if (name.endsWith(".parquet")) {
                    return "parquet";
                }
                if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".jsonl.gz")
                        || name.endsWith(".json.gz")) {
                    return "jsonl";
                }
                throw new CurationInputException("Cannot tell the format of '" + fileName
                        + "' from its name; name it *.jsonl, *.jsonl.gz or *.parquet, or set format to jsonl or parquet");
            }
            default -> throw new CurationInputException("Unknown input format '" + format
                    + "'; use jsonl, parquet or auto");
        }
    }
}
