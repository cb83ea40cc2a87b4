package dev.mole.orchestrator.experiment;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.Registration;
import dev.mole.registry.RegistryException;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link ExperimentRegistrations} in the platform's adapter registry. The registry is opened for each call and closed
 * after it: registrations are rare (one per arm x seed) and a worker that never registers holds no persistence context.
 * A refused output (another base, shapes that do not fit, a file that does not match its sha256) fails the arm x seed
 * with the registry's reason and is not retried; a registration of the same content again returns the same version.
 */
public final class RegistryRegistrations implements ExperimentRegistrations {
    private final DataSource dataSource;
    private final BlobStore blobs;
    private final String bucket;

    public RegistryRegistrations(DataSource dataSource, BlobStore blobs, String bucket) {
        this.dataSource = dataSource;
        this.blobs = blobs;
        this.bucket = bucket;
    }

    @Override
    public String register(String experimentId, String experimentName, String arm, long seed, ObjectRef base,
            ObjectRef manifest) {
        String model = ExperimentRegistrations.modelName(experimentName, arm);
        String actor = "experiment:" + experimentId;
        try (AdapterRegistry registry = AdapterRegistry.open(dataSource, blobs, bucket)) {
            registry.createModel(model, base, "arm " + arm + " of experiment " + experimentName, actor);
            int version = registry.register(new Registration(model, manifest, experimentId, arm,
                    Map.of("seed", Long.toString(seed)), actor)).version().number();
            return model + "@" + version;
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                throw e; // an object not visible yet may appear: retried
            }
            throw ApplicationFailure.newNonRetryableFailure("the registry refused " + manifest + ": " + e.getMessage(),
                    "RegistryRefused");
        }
    }

    @Override
    public void recordMetrics(String registered, String evaluationId, Map<String, Double> metrics) {
        int at = registered.lastIndexOf('@');
        try (AdapterRegistry registry = AdapterRegistry.open(dataSource, blobs, bucket)) {
            registry.recordMetrics(registered.substring(0, at), Integer.parseInt(registered.substring(at + 1)), evaluationId,
                    metrics);
        }
    }
}
