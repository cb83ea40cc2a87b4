package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.curation.CurationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowSourcesTest {
    @TempDir
    Path dir;

    private static List<Row> readAll(RowSource source) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (source) {
            Row r;
            while ((r = source.next()) != null) {
                rows.add(r);
            }
        }
        return rows;
    }

    private void duckdb(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String sqlPath(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    @Test
    void formatByName() {
        assertThat(RowSources.resolveFormat("x.parquet", "auto")).isEqualTo("parquet");
        assertThat(RowSources.resolveFormat("x.JSONL", "auto")).isEqualTo("jsonl");
        assertThat(RowSources.resolveFormat("x.json", "auto")).isEqualTo("jsonl");
        assertThat(RowSources.resolveFormat("x.jsonl.gz", "auto")).isEqualTo("jsonl");
        assertThat(RowSources.resolveFormat("x.csv", "jsonl")).isEqualTo("jsonl");
        assertThatThrownBy(() -> RowSources.resolveFormat("x.csv", "auto"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("x.csv");
        assertThatThrownBy(() -> RowSources.resolveFormat("x.jsonl", "xml"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("Unknown input format 'xml'");
    }

    @Test
    void missingPathAndDirectoryAreWholeInputErrors() {
        assertThatThrownBy(() -> RowSources.open(dir.resolve("nope.jsonl"), "auto", "question", "answer"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> RowSources.open(dir, "jsonl", "question", "answer"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void emptyOrBlankFileHasNoRowsAndPlanSaysSo() throws IOException {
        for (String content : new String[] {"", "\n\n  \n"}) {
            Path f = Files.writeString(dir.resolve("empty.jsonl"), content);
            CurationEngine engine = new CurationEngine(CurationRequest.of(f.toString()));
            try (RowSource source = RowSources.open(f, "auto", "question", "answer")) {
                assertThatThrownBy(() -> engine.plan(source, CurationProgress.none()))
                        .isInstanceOf(CurationInputException.class).hasMessageContaining("has no rows");
            }
        }
    }

    @Test
    void jsonlGzFileOpens() throws IOException {
        Path f = dir.resolve("x.jsonl.gz");
        new GlaiveLikeGenerator(1).write(f, 50);
        assertThat(readAll(RowSources.open(f, "auto", "question", "answer"))).hasSize(50);
    }

    @Test
    void parquetRowsAreReadInFileOrderWithNullsAndBlanksRejected() throws Exception {
        Path f = dir.resolve("it's.parquet");
        // several row groups, so order across groups is exercised
        duckdb("COPY (SELECT i, 'q' || i AS \"my question\", CASE WHEN i = 3 THEN NULL WHEN i = 4 THEN ' ' "
                + "ELSE '```python' || chr(10) || 'x = ' || i || chr(10) || '```' END AS answer "
                + "FROM range(5000) t(i)) TO '" + sqlPath(f)
                + "' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        List<Row> rows = readAll(RowSources.open(f, "auto", "my question", "answer"));
        assertThat(rows).hasSize(5000);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).index()).isEqualTo(i);
        }
        assertThat(rows.get(4999).question()).isEqualTo("q4999");
        assertThat(rows.get(0).answer()).isEqualTo("```python\nx = 0\n```");
        assertThat(rows.get(3).rejection()).isEqualTo(DropReason.MISSING_FIELD);
        assertThat(rows.get(4).rejection()).isEqualTo(DropReason.EMPTY_FIELD);
    }

    @Test
    void parquetFieldNotInSchemaOrNotAStringIsAWholeInputError() throws Exception {
        Path f = dir.resolve("x.parquet");
        duckdb("COPY (SELECT 'q' AS question, 1 AS answer) TO '" + sqlPath(f) + "' (FORMAT parquet)");
        assertThatThrownBy(() -> RowSources.open(f, "parquet", "instruction", "answer"))
                .isInstanceOf(CurationInputException.class)
                .hasMessageContaining("'instruction' is not in the Parquet file").hasMessageContaining("question");
        assertThatThrownBy(() -> RowSources.open(f, "parquet", "question", "answer"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("a string column is needed");
    }

    @Test
    void quotedIdentifiersCannotInjectSql() throws Exception {
        Path f = dir.resolve("x.parquet");
        duckdb("COPY (SELECT 'q' AS question, 'a' AS answer) TO '" + sqlPath(f) + "' (FORMAT parquet)");
        assertThatThrownBy(() -> RowSources.open(f, "parquet", "question\", 1 AS \"x", "answer"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("is not in the Parquet file");
    }

    @Test
    void unreadableParquetIsAWholeInputError() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.parquet"), "this is not parquet");
        assertThatThrownBy(() -> RowSources.open(f, "auto", "question", "answer"))
                .isInstanceOf(CurationInputException.class).hasMessageContaining("Cannot read Parquet file");
    }
}
