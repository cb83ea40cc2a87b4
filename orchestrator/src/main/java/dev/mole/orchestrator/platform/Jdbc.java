package dev.mole.orchestrator.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain JDBC with the two shapes the catalogs need: a mapped query, and a body run in one transaction. */
public final class Jdbc {
    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public interface TransactionBody {
        void run(Connection c) throws SQLException;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog query failed: " + e.getMessage(), e);
        }
    }

    public void inTransaction(TransactionBody body) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                body.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog update failed: " + e.getMessage(), e);
        }
    }

    /** Runs one statement with its arguments in its own transaction. */
    public void update(String sql, Object... args) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        });
    }

    /** Unchecked so that a failed catalog write fails the activity, which Temporal then retries. */
    public static final class CatalogException extends RuntimeException {
        CatalogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
