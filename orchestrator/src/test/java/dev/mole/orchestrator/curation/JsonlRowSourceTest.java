package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.orchestrator.curation.internal.JsonlRowSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class JsonlRowSourceTest {

    private static List<Row> read(byte[] bytes) throws IOException {
        return read(new JsonlRowSource(new ByteArrayInputStream(bytes), "question", "answer"));
    }

    private static List<Row> read(RowSource source) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (source) {
            Row r;
            while ((r = source.next()) != null) {
                rows.add(r);
            }
        }
        return rows;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyReadingRejectionIsACountedRowNotAnException() throws IOException {
        String text = String.join("\n",
                "{\"question\": \"q0\", \"answer\": \"a0\"}",
                "{\"question\": \"q1\", \"answer\": ",                       // malformed
                "[1, 2]",                                                   // not an object
                "{\"question\": \"q3\", \"answer\": \"a3\"} {\"x\": 1}",     // trailing data
                "{\"question\": \"q4\"}",                                   // missing
                "{\"question\": \"q5\", \"answer\": null}",                 // null = missing
                "{\"question\": \"q6\", \"answer\": 42}",                   // non-string
                "{\"question\": \"q7\", \"answer\": {\"a\": 1}}",           // non-string
                "{\"question\": \" \\n\\t\", \"answer\": \"a8\"}",          // blank
                "{\"question\": \"\", \"answer\": \"a9\"}",                 // empty
                "{\"other\": [1, {\"question\": 1}], \"answer\": \"a10\", \"question\": \"q10\"}");
        List<Row> rows = read(utf8(text));
        assertThat(rows).extracting(Row::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(rows).extracting(Row::rejection).containsExactly(null, DropReason.MALFORMED_JSON,
                DropReason.MALFORMED_JSON, DropReason.MALFORMED_JSON, DropReason.MISSING_FIELD,
                DropReason.MISSING_FIELD, DropReason.NON_STRING_FIELD, DropReason.NON_STRING_FIELD,
                DropReason.EMPTY_FIELD, DropReason.EMPTY_FIELD, null);
        assertThat(rows.get(10).question()).isEqualTo("q10");
        assertThat(rows.get(10).answer()).isEqualTo("a10");
    }

    @Test
    void invalidUtf8RejectsOnlyThatLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(utf8("{\"question\": \"ok é\", \"answer\": \"😀\"}\n"));
        out.write(utf8("{\"question\": \"bad "));
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.write(utf8("\", \"answer\": \"a\"}\n"));
        out.write(utf8("{\"question\": \"surrogate "));
        out.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded UTF-16 surrogate: invalid UTF-8
        out.write(utf8("\", \"answer\": \"a\"}\n"));
        out.write(utf8("{\"question\": \"q\", \"answer\": \"a\"}\n"));
        List<Row> rows = read(out.toByteArray());
        assertThat(rows).extracting(Row::rejection)
                .containsExactly(null, DropReason.INVALID_UTF8, DropReason.INVALID_UTF8, null);
        assertThat(rows.get(0).question()).isEqualTo("ok é");
        assertThat(rows.get(0).answer()).isEqualTo("😀");
    }

    @Test
    void crlfLinesBomAndBlankLines() throws IOException {
        byte[] bytes = utf8("\uFEFF{\"question\": \"q\", \"answer\": \"a\\r\\nb\"}\r\n\r\n   \n"
                + "{\"question\": \"q2\", \"answer\": \"a2\"}\r\n\n");
        List<Row> rows = read(bytes);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).answer()).isEqualTo("a\r\nb");
        assertThat(rows.get(1).index()).isEqualTo(1);
        assertThat(rows.get(1).rejection()).isNull();
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws IOException {
        assertThat(read(utf8("{\"question\": \"q\", \"answer\": \"a\"}"))).hasSize(1);
    }

    @Test
    void customFieldNames() throws IOException {
        List<Row> rows = read(new JsonlRowSource(new ByteArrayInputStream(
                utf8("{\"instruction\": \"q\", \"response\": \"a\"}\n")), "instruction", "response"));
        assertThat(rows.get(0).question()).isEqualTo("q");
    }

    @Test
    void tooLargeLinesAreRejectedAndSkipped() throws IOException {
        String big = "{\"question\": \"" + "x".repeat(5_000) + "\", \"answer\": \"a\"}";
        String ok = "{\"question\": \"q\", \"answer\": \"a\"}";
        List<Row> rows = read(new JsonlRowSource(new ByteArrayInputStream(utf8(ok + "\n" + big + "\n" + ok + "\n")),
                "question", "answer", 1_000));
        assertThat(rows).extracting(Row::rejection).containsExactly(null, DropReason.ROW_TOO_LARGE, null);
    }

    @Test
    void gzipIsDetectedByMagicAndBytesReadCountsCompressedBytes() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 0; i < 1_000; i++) {
                out.write(utf8("{\"question\": \"q" + i + "\", \"answer\": \"a\"}\n"));
            }
        }
        JsonlRowSource source = new JsonlRowSource(new ByteArrayInputStream(gz.toByteArray()), "question", "answer");
        List<Row> rows = new ArrayList<>();
        Row r;
        while ((r = source.next()) != null) {
            rows.add(r);
        }
        assertThat(rows).hasSize(1_000);
        assertThat(rows.get(999).question()).isEqualTo("q999");
        assertThat(source.bytesRead()).isEqualTo(gz.size());
        source.close();
    }

    @Test
    void corruptGzipIsAWholeInputError() {
        byte[] notGzip = {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5};
        assertThatThrownBy(() -> read(notGzip)).isInstanceOf(CurationInputException.class)
                .hasMessageContaining("gzip");
    }
}
