package dev.mole.registry.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.Registration;
import java.util.Map;

/**
 * A child JVM that registers a trained output and dies (Runtime.halt: no finally blocks, no rollback from this side)
 * after every blob is stored and the version's rows are written, before the commit.
 * Args: jdbc url, S3 endpoint, access key, secret key, bucket, model, manifest uri.
 */
public final class CrashingRegistration {
    public static void main(String[] args) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(args[0]);
        hc.setUsername("postgres");
        HikariDataSource ds = new HikariDataSource(hc);
        BlobStore store = new BlobStore(args[1], args[2], args[3]);
        RegistryCore registry = RegistryCore.open(ds, store, args[4], (model, number) -> {
            System.out.println("rows of " + model + " v" + number + " written; dying before the commit");
            System.out.flush();
            Runtime.getRuntime().halt(137);
        });
        registry.register(new Registration(args[5], ObjectRef.parse(args[6]), null, null, Map.of(), "crasher"));
        System.out.println("registered: the hook did not run");
        System.exit(1);
    }
}
