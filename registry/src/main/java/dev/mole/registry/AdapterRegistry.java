package dev.mole.registry;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.internal.RegistryCore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The adapter registry (docs/architecture.md, "Registry"): named models over one base, immutable content-addressed
 * versions of trained outputs, aliases that move atomically with an audit log, tags, evaluation metrics, deprecation,
 * download plans, and the bearer tokens of its API. Every failure is a {@link RegistryException} naming the problem.
 *
 * <p>Thread-safe; one instance per process is enough. The schema must have been migrated ({@code Migrations.migrate}).
 */
public interface AdapterRegistry extends AutoCloseable {

    /** Opens the registry over the platform's database and object store; files are kept in {@code bucket}. */
    static AdapterRegistry open(DataSource dataSource, BlobStore store, String bucket) {
        return RegistryCore.open(dataSource, store, bucket, RegistryCore.Hooks.NONE);
    }

    /**
     * Creates a model over the base checkpoint folder {@code base} (its identity is computed from its files). Creating
     * an existing model again over the same base returns it; over another base is a conflict.
     */
    RegisteredModel createModel(String name, ObjectRef base, String description, String actor);

    Optional<RegisteredModel> model(String name);

    Page<RegisteredModel> models(ModelQuery query);

    /**
     * Registers a trained output as a version, in two phases: every file the manifest lists is copied into the
     * registry's content-addressed store and verified (sha256, shapes against the base, PEFT config), then one
     * transaction makes the version visible. Identical content (the same manifest sha256) returns the existing version,
     * also when two registrations race. A refused output leaves no version.
     */
    Registered register(Registration registration);

    Optional<ModelVersion> version(String model, int number);

    Optional<ModelVersion> versionByAlias(String model, String alias);

    /** Versions in ascending number, after {@code pageToken} (null: from the first). */
    Page<ModelVersion> versions(String model, String pageToken, int limit);

    /**
     * Points {@code alias} at version {@code toVersion}, recording the move. With {@code expectedFrom} non-null the move
     * happens only if the alias points at that version now (0: only if it does not exist yet), else it is a conflict.
     */
    AliasMove moveAlias(String model, String alias, int toVersion, Integer expectedFrom, String actor);

    /** alias -> version number */
    Map<String, Integer> aliases(String model);

    /** Every move of the alias, oldest first. */
    List<AliasMove> aliasHistory(String model, String alias);

    ModelVersion setTag(String model, int version, String key, String value, String actor);

    ModelVersion removeTag(String model, int version, String key, String actor);

    /** Flags a version as deprecated (it stays, and so do the aliases that point at it). */
    ModelVersion deprecate(String model, int version, String reason, String actor);

    /** Records an evaluation's results for a version (metric -> value, e.g. pass1.synthesis -> 0.41). */
    ModelVersion recordMetrics(String model, int version, String evaluationId, Map<String, Double> metrics);

    /**
     * Exactly the objects needed to run {@code version} for {@code languages}, with presigned URLs valid for
     * {@code validFor}; an empty set means every language the version has.
     */
    DownloadPlan downloadPlan(String model, int version, Set<Language> languages, Duration validFor);

    /** Creates a bearer token and returns it; only its sha256 is kept, so this is the only time it is seen. */
    String createToken(String name, TokenScope scope);

    /** Whose token this is, if it is valid. */
    Optional<Principal> authenticate(String token);

    /** True when at least one token exists (the API then asks reads for one too when so configured). */
    boolean hasTokens();

    @Override
    void close();
}
