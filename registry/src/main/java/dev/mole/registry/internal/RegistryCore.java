package dev.mole.registry.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.AdapterManifest;
import dev.mole.contracts.training.AdapterManifest.ComponentKind;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.AliasMove;
import dev.mole.registry.DownloadPlan;
import dev.mole.registry.Lineage;
import dev.mole.registry.ModelQuery;
import dev.mole.registry.ModelVersion;
import dev.mole.registry.Page;
import dev.mole.registry.Principal;
import dev.mole.registry.RegisteredModel;
import dev.mole.registry.Registered;
import dev.mole.registry.Registration;
import dev.mole.registry.RegistryException;
import dev.mole.registry.TokenScope;
import dev.mole.registry.VersionComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link AdapterRegistry} on Spring Data JPA and the content-addressed store. */
public final class RegistryCore implements AdapterRegistry {
    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration MAX_URL_VALIDITY = Duration.ofDays(7); // S3's limit for presigned URLs

    /** Test seams between the phases of a registration; production passes {@link #NONE}. */
    public interface Hooks {
        /** Called inside the committing transaction, after the version's rows are written and before the commit. */
        void beforeCommit(String model, int number);

        Hooks NONE = (m, n) -> {};
    }

    private final AnnotationConfigApplicationContext context;
    private final TransactionTemplate tx;
    private final Repositories.Models models;
    private final Repositories.Versions versions;
    private final Repositories.Components components;
    private final Repositories.Aliases aliases;
    private final Repositories.AliasEvents aliasEvents;
    private final Repositories.Tags tags;
    private final Repositories.Metrics metrics;
    private final Repositories.Tokens tokens;
    private final BlobStore store;
    private final ContentStore content;
    private final Hooks hooks;

    private RegistryCore(AnnotationConfigApplicationContext context, BlobStore store, String bucket, Hooks hooks) {
        this.context = context;
        this.tx = context.getBean(TransactionTemplate.class);
        this.models = context.getBean(Repositories.Models.class);
        this.versions = context.getBean(Repositories.Versions.class);
        this.components = context.getBean(Repositories.Components.class);
        this.aliases = context.getBean(Repositories.Aliases.class);
        this.aliasEvents = context.getBean(Repositories.AliasEvents.class);
        this.tags = context.getBean(Repositories.Tags.class);
        this.metrics = context.getBean(Repositories.Metrics.class);
        this.tokens = context.getBean(Repositories.Tokens.class);
        this.store = store;
        this.content = new ContentStore(store, bucket);
        this.hooks = hooks;
    }

    public static RegistryCore open(DataSource dataSource, BlobStore store, String bucket, Hooks hooks) {
        return new RegistryCore(JpaContext.start(dataSource), store, bucket, hooks);
    }

    // ---- models

    @Override
    public RegisteredModel createModel(String name, ObjectRef base, String description, String actor) {
        if (name == null || !MODEL_NAME.matcher(name).matches()) {
            throw RegistryException.invalid("model name '" + name + "' must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        String baseSha;
        try {
            baseSha = BaseModelIdentity.ofStoredFolder(store, base);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid(e.getMessage());
        }
        String location = base.uri().endsWith("/") ? base.uri() : base.uri() + "/";
        try {
            return tx.execute(s -> {
                Optional<ModelEntity> existing = models.findById(name);
                if (existing.isPresent()) {
                    ModelEntity m = existing.get();
                    if (!m.baseSha256.equals(baseSha)) {
                        throw RegistryException.conflict("model " + name + " exists over another base (" + m.baseSha256.substring(0, 12)
                                + ", not " + baseSha.substring(0, 12) + " at " + location + ")");
                    }
                    return view(m);
                }
                return view(models.saveAndFlush(new ModelEntity(name, baseSha, location, description == null ? "" : description, actor, Instant.now())));
            });
        } catch (DataIntegrityViolationException raced) {
            return createModel(name, base, description, actor); // another creation won: compare with its base
        }
    }

    @Override
    public Optional<RegisteredModel> model(String name) {
        return models.findById(name).map(this::view);
    }

    @Override
    public Page<RegisteredModel> models(ModelQuery q) {
        String after = q.pageToken() == null ? "" : decodeToken(q.pageToken());
        List<ModelEntity> rows = models.search(after, q.baseSha256(), q.language() == null ? null : q.language().id(), q.metric(),
                q.minValue() == null ? 0 : q.minValue(), Limit.of(q.limit() + 1));
        List<RegisteredModel> page = rows.stream().limit(q.limit()).map(this::view).toList();
        return new Page<>(page, rows.size() > q.limit() ? encodeToken(page.get(page.size() - 1).name()) : null);
    }

    private RegisteredModel view(ModelEntity m) {
        return new RegisteredModel(m.name, m.baseSha256, m.baseLocation, m.description, m.createdBy, m.createdAt, versions.latestNumber(m.name));
    }

    private ModelEntity requireModel(String name) {
        return models.findById(name).orElseThrow(() -> RegistryException.notFound("no model " + name));
    }

    // ---- registration

    @Override
    public Registered register(Registration r) {
        ModelEntity model = requireModel(r.model());
        if (!store.exists(r.manifest())) {
            throw RegistryException.invalid("no adapter manifest at " + r.manifest());
        }
        byte[] manifestBytes = store.read(r.manifest());
        String manifestSha = BaseModelIdentity.sha256(manifestBytes);
        Optional<VersionEntity> known = versions.findByModelNameAndManifestSha256(model.name, manifestSha);
        if (known.isPresent()) {
            return new Registered(view(known.get()), false);
        }
        AdapterManifest m;
        try {
            m = AdapterManifest.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid(r.manifest() + ": " + e.getMessage());
        }
        ManifestValidator.checkManifest(m, model.name, model.baseSha256);

        // phase 1: every file stored under its sha256 and verified; nothing is visible yet
        Map<String, Long> sizes = new TreeMap<>();
        for (Map.Entry<String, String> f : m.files().entrySet()) {
            sizes.put(f.getKey(), content.put(r.manifest().sibling(f.getKey()), f.getValue(), f.getKey()));
        }
        content.putBytes(manifestBytes, manifestSha);
        BaseShape base = BaseShape.parse(store.read(ObjectRef.parse(model.baseLocation).child("config.json")), model.baseLocation + "config.json");
        ManifestValidator.checkFiles(m, base, file -> content.open(m.files().get(file)));

        // phase 2: one transaction makes the version visible, serialised per model by the model row's lock
        String lineage = json(lineage(r, m));
        try {
            return tx.execute(s -> {
                models.lock(model.name);
                Optional<VersionEntity> raced = versions.findByModelNameAndManifestSha256(model.name, manifestSha);
                if (raced.isPresent()) {
                    return new Registered(view(raced.get()), false);
                }
                int number = versions.latestNumber(model.name) + 1;
                VersionEntity v = versions.saveAndFlush(new VersionEntity(model.name, number, manifestSha,
                        new String(manifestBytes, StandardCharsets.UTF_8), m.method(), lineage, r.actor(), Instant.now()));
                for (AdapterManifest.Component c : m.components()) {
                    components.save(new ComponentEntity(v.id, c.file(), c.kind().name(), c.language() == null ? null : c.language().id(),
                            c.adapter(), c.rank(), c.sha256(), sizes.get(c.file())));
                }
                r.tags().forEach((k, val) -> tags.save(new TagEntity(v.id, checkTagKey(k), val)));
                components.flush();
                tags.flush();
                hooks.beforeCommit(model.name, number);
                return new Registered(view(v), true);
            });
        } catch (DataIntegrityViolationException e) {
            // the unique (model, manifest) constraint caught a race the lock did not (a first registration in another
            // database session): the other one's version is the answer
            return versions.findByModelNameAndManifestSha256(model.name, manifestSha)
                    .map(v -> new Registered(view(v), false)).orElseThrow(() -> e);
        }
    }

    private static Lineage lineage(Registration r, AdapterManifest m) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", m.method());
        if (m.layout() != null) settings.put("layout", m.layout());
        if (m.init() != null) settings.put("init", m.init());
        if (m.svd() != null) settings.put("svd", m.svd());
        settings.put("sharedRank", m.sharedRank());
        settings.put("expertRank", m.expertRank());
        settings.put("adapterSeed", m.adapterSeed());
        if (m.svdFactorsKey() != null) settings.put("svdFactorsKey", m.svdFactorsKey());
        if (m.hyperParameters() != null) settings.put("hyperParameters", m.hyperParameters());
        settings.put("steps", m.steps());
        settings.put("skippedSteps", m.skippedSteps());
        return new Lineage(r.experimentId(), r.arm(), m.seed(), m.datasetId(), m.baseModelSha256(), PlatformVersion.get(),
                r.manifest().uri(), settings);
    }

    // ---- versions

    @Override
    public Optional<ModelVersion> version(String model, int number) {
        return versions.findByModelNameAndNumber(model, number).map(this::view);
    }

    @Override
    public Optional<ModelVersion> versionByAlias(String model, String alias) {
        return aliases.findById(new AliasEntity.Key(model, alias)).flatMap(a -> versions.findById(a.versionId)).map(this::view);
    }

    @Override
    public Page<ModelVersion> versions(String model, String pageToken, int limit) {
        requireModel(model);
        if (limit <= 0) limit = 50;
        if (limit > ModelQuery.MAX_LIMIT) throw RegistryException.invalid("limit must be at most " + ModelQuery.MAX_LIMIT);
        int after;
        try {
            after = pageToken == null ? 0 : Integer.parseInt(decodeToken(pageToken));
        } catch (NumberFormatException e) {
            throw RegistryException.invalid("not a page token of this listing: " + pageToken);
        }
        List<VersionEntity> rows = versions.findByModelNameAndNumberGreaterThanOrderByNumber(model, after, Limit.of(limit + 1));
        List<ModelVersion> page = rows.stream().limit(limit).map(this::view).toList();
        return new Page<>(page, rows.size() > limit ? encodeToken(Integer.toString(page.get(page.size() - 1).number())) : null);
    }

    private VersionEntity requireVersion(String model, int number) {
        requireModel(model);
        return versions.findByModelNameAndNumber(model, number)
                .orElseThrow(() -> RegistryException.notFound("model " + model + " has no version " + number));
    }

    private ModelVersion view(VersionEntity v) {
        List<VersionComponent> cs = components.findByVersionIdOrderByFile(v.id).stream()
                .map(c -> new VersionComponent(c.file, ComponentKind.valueOf(c.kind), c.language == null ? null : Language.parse(c.language),
                        c.adapter, c.rank, c.sha256, c.size)).toList();
        Map<String, String> t = new TreeMap<>();
        tags.findByVersionIdOrderByKey(v.id).forEach(x -> t.put(x.key, x.value));
        Map<String, Double> mt = new TreeMap<>();
        metrics.findByVersionIdOrderByMetric(v.id).forEach(x -> mt.put(x.metric, x.value));
        List<String> as = aliases.findByVersionIdOrderByAlias(v.id).stream().map(a -> a.alias).toList();
        Lineage lineage;
        try {
            lineage = JSON.readValue(v.lineage, Lineage.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelVersion(v.modelName, v.number, v.manifestSha256, v.method, lineage, cs, t, mt, as, v.deprecated,
                v.deprecation, v.createdBy, v.createdAt);
    }

    // ---- aliases

    @Override
    public AliasMove moveAlias(String model, String alias, int toVersion, Integer expectedFrom, String actor) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw RegistryException.invalid("alias '" + alias + "' must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter");
        }
        return tx.execute(s -> {
            models.lock(requireModel(model).name);
            VersionEntity to = requireVersion(model, toVersion);
            if (to.deprecated) throw RegistryException.conflict("version " + toVersion + " of " + model + " is deprecated: " + to.deprecation);
            Optional<AliasEntity> current = aliases.findById(new AliasEntity.Key(model, alias));
            Integer from = current.map(a -> versions.findById(a.versionId).orElseThrow().number).orElse(null);
            if (expectedFrom != null && !expectedFrom.equals(from == null ? 0 : from)) {
                throw RegistryException.conflict("alias " + alias + " of " + model + " points at " + (from == null ? "nothing" : "version " + from)
                        + ", not " + (expectedFrom == 0 ? "nothing" : "version " + expectedFrom) + " as expected");
            }
            Instant now = Instant.now();
            AliasEntity a = current.orElseGet(() -> new AliasEntity(model, alias, to.id, actor, now));
            a.versionId = to.id;
            a.movedBy = actor;
            a.movedAt = now;
            aliases.save(a);
            aliasEvents.save(new AliasEventEntity(model, alias, from, toVersion, actor, now));
            return new AliasMove(model, alias, from, toVersion, actor, now);
        });
    }

    @Override
    public Map<String, Integer> aliases(String model) {
        requireModel(model);
        Map<String, Integer> out = new TreeMap<>();
        for (AliasEntity a : aliases.findByModelNameOrderByAlias(model)) {
            out.put(a.alias, versions.findById(a.versionId).orElseThrow().number);
        }
        return out;
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        requireModel(model);
        return aliasEvents.findByModelNameAndAliasOrderById(model, alias).stream()
                .map(e -> new AliasMove(e.modelName, e.alias, e.fromVersion, e.toVersion, e.actor, e.at)).toList();
    }

    // ---- mutable metadata

    @Override
    public ModelVersion setTag(String model, int version, String key, String value, String actor) {
        if (value == null) throw RegistryException.invalid("tag " + key + " needs a value");
        return tx.execute(s -> {
            VersionEntity v = requireVersion(model, version);
            tags.save(new TagEntity(v.id, checkTagKey(key), value));
            tags.flush();
            return view(v);
        });
    }

    @Override
    public ModelVersion removeTag(String model, int version, String key, String actor) {
        return tx.execute(s -> {
            VersionEntity v = requireVersion(model, version);
            tags.deleteById(new TagEntity.Key(v.id, key));
            tags.flush();
            return view(v);
        });
    }

    private static String checkTagKey(String key) {
        if (key == null || key.isBlank() || key.length() > 64) throw RegistryException.invalid("a tag key is 1-64 characters: '" + key + "'");
        return key;
    }

    @Override
    public ModelVersion deprecate(String model, int version, String reason, String actor) {
        if (reason == null || reason.isBlank()) throw RegistryException.invalid("say why the version is deprecated");
        return tx.execute(s -> {
            VersionEntity v = requireVersion(model, version);
            v.deprecated = true;
            v.deprecation = reason;
            versions.saveAndFlush(v);
            return view(v);
        });
    }

    @Override
    public ModelVersion recordMetrics(String model, int version, String evaluationId, Map<String, Double> values) {
        return tx.execute(s -> {
            VersionEntity v = requireVersion(model, version);
            values.forEach((k, val) -> metrics.save(new MetricEntity(v.id, k, val, evaluationId)));
            metrics.flush();
            return view(v);
        });
    }

    // ---- downloads

    @Override
    public DownloadPlan downloadPlan(String model, int number, Set<Language> languages, Duration validFor) {
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_URL_VALIDITY) > 0) {
            throw RegistryException.invalid("a download URL is valid for 1 s to 7 days: " + validFor);
        }
        RegisteredModel m = view(requireModel(model));
        VersionEntity stored = requireVersion(model, number);
        ModelVersion v = view(stored);
        long manifestSize = stored.manifest.getBytes(StandardCharsets.UTF_8).length; // the stored text is the manifest's bytes
        Set<Language> have = EnumSet.noneOf(Language.class);
        v.components().stream().filter(c -> c.kind() == ComponentKind.EXPERT).forEach(c -> have.add(c.language()));
        Set<Language> want = languages == null || languages.isEmpty() ? have : EnumSet.copyOf(languages);
        Set<Language> missing = EnumSet.copyOf(want);
        missing.removeAll(have);
        if (!missing.isEmpty() && !have.isEmpty()) {
            throw RegistryException.invalid("version " + number + " of " + model + " has no expert for " + ids(missing) + " (it has " + ids(have) + ")");
        }
        List<DownloadPlan.Item> items = new ArrayList<>();
        items.add(new DownloadPlan.Item(AdapterManifest.FILE, null, null, v.manifestSha256(),
                manifestSize, url(v.manifestSha256(), validFor)));
        for (VersionComponent c : v.components()) {
            boolean needed = switch (c.kind()) {
                case EXPERT -> want.contains(c.language());
                case PEFT -> false; // for PEFT users, not for the platform's loader; listed with the version
                default -> true;
            };
            if (needed) items.add(new DownloadPlan.Item(c.file(), c.kind(), c.language(), c.sha256(), c.size(), url(c.sha256(), validFor)));
        }
        return new DownloadPlan(model, number, v.manifestSha256(), m.baseSha256(), m.baseLocation(), new ArrayList<>(new TreeSet<>(want)),
                Instant.now().plus(validFor), items);
    }

    private String url(String sha, Duration validFor) {
        return store.presignedGet(content.blob(sha), validFor);
    }

    private static String ids(Set<Language> ls) {
        return String.join(", ", ls.stream().map(Language::id).toList());
    }

    // ---- tokens

    @Override
    public String createToken(String name, TokenScope scope) {
        if (name == null || name.isBlank()) throw RegistryException.invalid("a token needs a name");
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "mole_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            tx.executeWithoutResult(s -> {
                if (tokens.existsByName(name)) throw RegistryException.conflict("a token named " + name + " exists");
                tokens.saveAndFlush(new TokenEntity(name, BaseModelIdentity.sha256(token.getBytes(StandardCharsets.UTF_8)), scope.name(), Instant.now()));
            });
        } catch (DataIntegrityViolationException e) {
            throw RegistryException.conflict("a token named " + name + " exists");
        }
        return token;
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        return tokens.findByTokenHashAndRevokedAtIsNull(BaseModelIdentity.sha256(token.getBytes(StandardCharsets.UTF_8)))
                .map(t -> new Principal(t.name, TokenScope.valueOf(t.scopes)));
    }

    @Override
    public boolean hasTokens() {
        return tokens.count() > 0;
    }

    // ---- helpers

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("not a page token: " + token);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
