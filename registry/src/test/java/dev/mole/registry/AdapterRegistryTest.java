package dev.mole.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.AdapterManifest.ComponentKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against real PostgreSQL and the in-process S3 server. Each test uses its own model name. */
@Tag("stack")
class AdapterRegistryTest {
    @TempDir
    static Path dir;
    static RegistryStack stack;
    static AdapterRegistry registry;
    static TrainedOutputs outputs;
    static ObjectRef base;
    static String baseSha;

    @BeforeAll
    static void start() throws Exception {
        stack = new RegistryStack(dir);
        registry = stack.open();
        outputs = new TrainedOutputs(stack.store);
        base = outputs.base("tiny", 1);
        baseSha = outputs.baseSha(base);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        stack.close();
    }

    private static TrainedOutputs.Spec spec(long seed) {
        return new TrainedOutputs.Spec().seed(seed).base(baseSha);
    }

    private static Registration reg(String model, ObjectRef manifest) {
        return new Registration(model, manifest, "exp-1", "mole-48+16", Map.of("team", "ide"), "tester");
    }

    @Test
    void registersAVersionWithItsComponentsAndLineageAndFindsIdenticalContentAgain() {
        registry.createModel("coder", base, "tiny coder", "tester");
        ObjectRef manifest = outputs.mole("run-a", spec(1));
        Registered first = registry.register(reg("coder", manifest));
        assertThat(first.created()).isTrue();
        ModelVersion v = first.version();
        assertThat(v.number()).isEqualTo(1);
        assertThat(v.manifestSha256()).isEqualTo(BaseModelIdentity.sha256(stack.store.read(manifest)));
        assertThat(v.components()).extracting(VersionComponent::kind).containsOnly(ComponentKind.SHARED, ComponentKind.NL,
                ComponentKind.EXPERT, ComponentKind.FACTORS);
        assertThat(v.components().stream().filter(c -> c.kind() == ComponentKind.EXPERT).map(VersionComponent::language))
                .containsExactlyInAnyOrder(Language.values());
        assertThat(v.components()).allSatisfy(c -> assertThat(c.size()).isPositive());
        assertThat(v.lineage().experimentId()).isEqualTo("exp-1");
        assertThat(v.lineage().arm()).isEqualTo("mole-48+16");
        assertThat(v.lineage().seed()).isEqualTo(1);
        assertThat(v.lineage().datasetId()).isEqualTo("dataset-1");
        assertThat(v.lineage().baseModelSha256()).isEqualTo(baseSha);
        assertThat(v.lineage().platformVersion()).isNotBlank().doesNotContain("${");
        assertThat(v.lineage().settings()).containsEntry("layout", "MOLE").containsEntry("sharedRank", 4);
        assertThat(v.tags()).containsEntry("team", "ide");

        Registered again = registry.register(reg("coder", manifest));
        assertThat(again.created()).isFalse();
        assertThat(again.version().number()).isEqualTo(1);
        assertThat(registry.register(reg("coder", outputs.mole("run-a", spec(2)))).version().number()).isEqualTo(2);
        assertThat(registry.model("coder").orElseThrow().latestVersion()).isEqualTo(2);
    }

    @Test
    void concurrentIdenticalRegistrationsGiveOneVersion() throws Exception {
        registry.createModel("race", base, "", "tester");
        ObjectRef manifest = outputs.mole("run-race", spec(1));
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Registered>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return registry.register(reg("race", manifest));
            }));
        }
        go.countDown();
        List<Registered> rs = new ArrayList<>();
        for (Future<Registered> f : results) rs.add(f.get());
        pool.shutdown();
        assertThat(rs).extracting(r -> r.version().number()).containsOnly(1);
        assertThat(rs).filteredOn(Registered::created).hasSize(1);
        assertThat(registry.versions("race", null, 50).items()).hasSize(1);
    }

    @Test
    void concurrentAliasMovesAreAllKeptAsOneChain() throws Exception {
        registry.createModel("aliases", base, "", "tester");
        for (int s = 1; s <= 3; s++) registry.register(reg("aliases", outputs.mole("run-al", spec(s))));
        int threads = 8, each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) registry.moveAlias("aliases", "production", 1 + (id + i) % 3, null, "t" + id);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        List<AliasMove> history = registry.aliasHistory("aliases", "production");
        assertThat(history).hasSize(threads * each);
        assertThat(history.get(0).fromVersion()).isNull();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).fromVersion()).as("move %d starts where move %d ended", i, i - 1).isEqualTo(history.get(i - 1).toVersion());
        }
        assertThat(registry.aliases("aliases")).containsEntry("production", history.get(history.size() - 1).toVersion());
        assertThat(registry.versionByAlias("aliases", "production").orElseThrow().aliases()).contains("production");
    }

    @Test
    void anAliasMoveWithAStaleExpectationIsAConflict() {
        registry.createModel("cas", base, "", "tester");
        registry.register(reg("cas", outputs.mole("run-cas", spec(1))));
        registry.register(reg("cas", outputs.mole("run-cas", spec(2))));
        registry.moveAlias("cas", "candidate", 1, 0, "a");
        assertThatThrownBy(() -> registry.moveAlias("cas", "candidate", 2, 0, "b"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.CONFLICT))
                .hasMessageContaining("points at version 1, not nothing");
        assertThat(registry.moveAlias("cas", "candidate", 2, 1, "b").fromVersion()).isEqualTo(1);
        assertThat(registry.aliasHistory("cas", "candidate")).extracting(AliasMove::actor).containsExactly("a", "b");
    }

    @Test
    void aDeprecatedVersionStaysButNoAliasMovesToIt() throws Exception {
        registry.createModel("deprecation", base, "", "tester");
        registry.register(reg("deprecation", outputs.mole("run-dep", spec(1))));
        registry.moveAlias("deprecation", "production", 1, null, "a");
        ModelVersion v = registry.deprecate("deprecation", 1, "lost to v2 on synthesis", "a");
        assertThat(v.deprecated()).isTrue();
        assertThat(registry.version("deprecation", 1)).isPresent();
        assertThatThrownBy(() -> registry.moveAlias("deprecation", "candidate", 1, null, "a"))
                .hasMessageContaining("deprecated: lost to v2");
        // nothing deletes an aliased version, not even SQL
        try (Connection c = stack.dataSource.getConnection()) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate(
                    "delete from registry_versions where model_name = 'deprecation' and number = 1"))
                    .hasMessageContaining("registry_aliases");
        }
    }

    @Test
    void aVersionsContentCannotBeChangedEvenInTheDatabase() throws Exception {
        registry.createModel("immutable", base, "", "tester");
        registry.register(reg("immutable", outputs.mole("run-imm", spec(1))));
        try (Connection c = stack.dataSource.getConnection()) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate(
                    "update registry_versions set manifest_sha256 = 'x' where model_name = 'immutable'"))
                    .hasMessageContaining("is immutable");
            assertThatThrownBy(() -> c.createStatement().executeUpdate(
                    "update registry_components set sha256 = 'x' where version_id in (select id from registry_versions where model_name = 'immutable')"))
                    .hasMessageContaining("immutable");
        }
        assertThatThrownBy(() -> registry.createModel("immutable", outputs.base("other", 2), "", "t"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.CONFLICT))
                .hasMessageContaining("exists over another base");
    }

    @Test
    void refusesOutputsThatDoNotFitAndLeavesNoVersion() {
        registry.createModel("strict", base, "", "tester");
        String otherBase = outputs.baseSha(outputs.base("other-b", 3));
        assertRefused(outputs.mole("bad-base", spec(1).base(otherBase)), "trained on base " + otherBase.substring(0, 12));
        TrainedOutputs.Spec rank = spec(1);
        rank.fileRankOverride = 3;
        assertRefused(outputs.mole("bad-rank", rank), "adapter-expert_python.safetensors: model.layers.0.mlp.gate_proj.lora_A.weight is [3, 8], the base and the manifest say [2, 8]");
        // a seed of its own: a blob the registry already holds is not read again, its bytes were verified when stored
        TrainedOutputs.Spec bytes = spec(77);
        bytes.corruptOneFile = true;
        assertRefused(outputs.mole("bad-bytes", bytes), "adapter-shared.safetensors does not match its sha256");
        TrainedOutputs.Spec rslora = spec(1);
        rslora.peftRsloraOff = true;
        assertRefused(outputs.allLang("bad-peft", rslora), "use_rslora is false");
        TrainedOutputs.Spec targets = spec(1);
        targets.peftDropTarget = true;
        assertRefused(outputs.allLang("bad-targets", targets), "target_modules are [gate_proj, up_proj]");
        assertThat(registry.versions("strict", null, 50).items()).isEmpty();
        // and a good PEFT export is accepted, its files listed as such
        ModelVersion ok = registry.register(reg("strict", outputs.allLang("good-peft", spec(1)))).version();
        assertThat(ok.components()).extracting(VersionComponent::kind).contains(ComponentKind.LORA, ComponentKind.PEFT, ComponentKind.FACTORS);
    }

    private static void assertRefused(ObjectRef manifest, String reason) {
        assertThatThrownBy(() -> registry.register(reg("strict", manifest)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.INVALID))
                .hasMessageContaining(reason);
    }

    @Test
    void aDownloadPlanListsExactlyWhatTheChosenLanguagesNeedWithWorkingPresignedUrls() throws Exception {
        registry.createModel("downloads", base, "", "tester");
        registry.register(reg("downloads", outputs.mole("run-dl", spec(1))));
        DownloadPlan plan = registry.downloadPlan("downloads", 1, Set.of(Language.PYTHON), Duration.ofMinutes(5));
        assertThat(plan.items()).extracting(DownloadPlan.Item::name).containsExactlyInAnyOrder("manifest.json",
                "adapter-shared.safetensors", "adapter-nl.safetensors", "adapter-expert_python.safetensors",
                "base-residual-factors.safetensors");
        assertThat(plan.baseSha256()).isEqualTo(baseSha);
        HttpClient http = HttpClient.newHttpClient();
        for (DownloadPlan.Item item : plan.items()) {
            assertThat(URI.create(item.url()).getAuthority()).isEqualTo(URI.create(stack.endpoint).getAuthority());
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(item.url())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(BaseModelIdentity.sha256(r.body())).isEqualTo(item.sha256());
            assertThat((long) r.body().length).isEqualTo(item.size());
        }
        assertThatThrownBy(() -> registry.downloadPlan("downloads", 1, Set.of(Language.RUST), Duration.ofDays(8)))
                .hasMessageContaining("1 s to 7 days");
    }

    @Test
    void searchesByBaseLanguageAndMetricWithPageTokens() {
        ObjectRef otherBase = outputs.base("search-other", 9);
        for (String name : List.of("s-a", "s-b", "s-c")) {
            registry.createModel(name, base, "", "tester");
            registry.register(reg(name, outputs.mole("run-" + name, spec(1))));
        }
        registry.createModel("s-d", otherBase, "", "tester");
        registry.recordMetrics("s-b", 1, "eval-1", Map.of("pass1.synthesis", 0.4));
        registry.recordMetrics("s-c", 1, "eval-2", Map.of("pass1.synthesis", 0.2));

        List<String> names = new ArrayList<>();
        String token = null;
        do {
            Page<RegisteredModel> p = registry.models(new ModelQuery(baseSha, Language.RUST, null, null, token, 1));
            p.items().forEach(m -> names.add(m.name()));
            token = p.nextPageToken();
        } while (token != null);
        assertThat(names).contains("s-a", "s-b", "s-c").doesNotContain("s-d");
        assertThat(registry.models(new ModelQuery(null, null, "pass1.synthesis", 0.3, null, 50)).items())
                .extracting(RegisteredModel::name).containsExactly("s-b");
        assertThat(registry.version("s-b", 1).orElseThrow().metrics()).containsEntry("pass1.synthesis", 0.4);
    }

    @Test
    void tokensAreStoredHashedAndCarryTheirScope() throws Exception {
        String token = registry.createToken("ci-" + System.nanoTime(), TokenScope.WRITE);
        Principal p = registry.authenticate(token).orElseThrow();
        assertThat(p.may(TokenScope.READ)).isTrue();
        assertThat(p.may(TokenScope.ADMIN)).isFalse();
        assertThat(registry.authenticate(token + "x")).isEmpty();
        try (Connection c = stack.dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("select token_hash from registry_tokens")) {
            while (rs.next()) assertThat(rs.getString(1)).isNotEqualTo(token).hasSize(64);
        }
    }

    @Test
    void theAdminTokenIsCreatedOnceAndKeptReadableByItsOwnerOnly(@TempDir Path home) throws Exception {
        Path file = AdminTokenFile.ensure(registry, home);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String token = AdminTokenFile.read(home);
        assertThat(registry.authenticate(token).orElseThrow().scope()).isEqualTo(TokenScope.ADMIN);
        assertThat(AdminTokenFile.ensure(registry, home)).isEqualTo(file);
        assertThat(AdminTokenFile.read(home)).as("a second start keeps the token").isEqualTo(token);
    }
}
