package dev.mole.orchestrator.curation.internal;

import dev.mole.orchestrator.curation.CurationInputException;
import dev.mole.orchestrator.curation.DropReason;
import dev.mole.orchestrator.curation.Row;
import dev.mole.orchestrator.curation.RowSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Parquet through an in-memory DuckDB. {@code jdbc_stream_results=true} makes the driver stream the result instead of
 * materialising it, so memory stays bounded. DuckDB keeps file order for a plain scan (its default
 * {@code preserve_insertion_order=true}), which is the row index. Both fields must be string (VARCHAR) columns; a NULL
 * is {@link DropReason#MISSING_FIELD} for that row.
 */
public final class ParquetRowSource implements RowSource {

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private long index;

    public ParquetRowSource(Path file, String questionField, String answerField) {
        String path = file.toAbsolutePath().toString();
        Connection c = null;
        try {
            Properties props = new Properties();
            props.setProperty("jdbc_stream_results", "true");
            c = DriverManager.getConnection("jdbc:duckdb:", props);
            checkSchema(c, path, questionField, answerField);
            PreparedStatement s = c.prepareStatement("SELECT " + quoteIdentifier(questionField) + ", "
                    + quoteIdentifier(answerField) + " FROM read_parquet(?)");
            s.setString(1, path);
            this.statement = s;
            this.rows = s.executeQuery();
            this.connection = c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new CurationInputException("Cannot read Parquet file " + file + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void checkSchema(Connection c, String path, String questionField, String answerField)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM read_parquet(?) LIMIT 0")) {
            s.setString(1, path);
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> names = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnName(i));
                    types.add(md.getColumnTypeName(i));
                }
                for (String field : List.of(questionField, answerField)) {
                    int at = names.indexOf(field);
                    if (at < 0) {
                        throw new CurationInputException("Field '" + field + "' is not in the Parquet file " + path
                                + "; its columns are " + names);
                    }
                    if (!"VARCHAR".equalsIgnoreCase(types.get(at))) {
                        throw new CurationInputException("Field '" + field + "' of the Parquet file " + path
                                + " has type " + types.get(at) + "; a string column is needed");
                    }
                }
            }
        }
    }

    /** A SQL identifier in double quotes, inner quotes doubled: safe for any column name. */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public Row next() throws IOException {
        try {
            if (!rows.next()) {
                return null;
            }
            long i = index++;
            String question = rows.getString(1);
            String answer = rows.getString(2);
            if (question == null || answer == null) {
                return Row.rejected(i, DropReason.MISSING_FIELD);
            }
            if (question.isBlank() || answer.isBlank()) {
                return Row.rejected(i, DropReason.EMPTY_FIELD);
            }
            return Row.readable(i, question, answer);
        } catch (SQLException e) {
            throw new CurationInputException("Cannot read Parquet rows: " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
            statement.close();
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing left to release
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
