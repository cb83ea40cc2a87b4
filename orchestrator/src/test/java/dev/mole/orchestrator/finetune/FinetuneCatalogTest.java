package dev.mole.orchestrator.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.migrations.Migrations;
import dev.mole.orchestrator.TestStacks;
import dev.mole.orchestrator.stack.EmbeddedStack;
import dev.mole.orchestrator.stack.StackEndpoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-seed loss curves stored in and read back from a real PostgreSQL, and seed rows written before curves existed. */
@Tag("stack")
class FinetuneCatalogTest {
    @TempDir
    static Path home;
    static EmbeddedStack stack;
    static HikariDataSource current;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start(TestStacks.isolated(home));
        current = dataSource(stack.endpoints(), "postgres");
        Migrations.migrate(current);
    }

    @AfterAll
    static void stop() {
        if (current != null) {
            current.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void seedCurvesRoundTripAndTheRunSummaryIsStoredWithoutThem() {
        FinetuneCatalog catalog = new FinetuneCatalog(current);
        FinetuneRequest request = request(TrainingMethod.PER_LANG, List.of(7L, 8L));
        catalog.started("ft-curves", request);

        Map<String, List<LossCurve.Point>> curves = Map.of(
                "train:python", List.of(new LossCurve.Point(2, 2.5, 2), new LossCurve.Point(4, 2.25, 2)),
                "train:rust", List.of(new LossCurve.Point(1, 3.125, 1)));
        Map<String, List<LossCurve.ValidationPoint>> validation = Map.of(
                "train:python", List.of(new LossCurve.ValidationPoint(0, Map.of("python", 3.0, "all", 3.0)),
                        new LossCurve.ValidationPoint(4, Map.of("python", 2.0, "all", 2.0))));
        TrainingResult seven = new TrainingResult(ObjectRef.parse("s3://mole/runs/ft-curves/seed-7/manifest.json"), 5, 3,
                2.25, Map.of("python/python", 2.0), curves, validation);
        catalog.seedFinished("ft-curves", 7, seven);
        assertThat(catalog.find("ft-curves").orElseThrow().seedsDone()).isEqualTo(1);

        FinetuneCatalog.SeedRow row = catalog.seeds("ft-curves").getFirst();
        assertThat(row.lossCurves()).isEqualTo(curves);
        assertThat(row.validationCurves()).isEqualTo(validation);
        assertThat(row.resumedFromStep()).isEqualTo(3L);
        assertThat(row.finalTrainLoss()).isEqualTo(2.25);
        assertThat(row.validationLoss()).isEqualTo(Map.of("python/python", 2.0));

        // A retried record (the activity ran twice) replaces the row, curves included.
        TrainingResult retried = new TrainingResult(seven.outputManifest(), 6, 0, 2.0, Map.of("python/python", 1.5),
                Map.of("train:python", List.of(new LossCurve.Point(6, 2.0, 1))), Map.of());
        catalog.seedFinished("ft-curves", 7, retried);
        row = catalog.seeds("ft-curves").getFirst();
        assertThat(row.lossCurves()).isEqualTo(retried.lossCurves());
        assertThat(row.validationCurves()).isEmpty();
        assertThat(row.steps()).isEqualTo(6);

        // A seed that did not train (NaN loss) is stored with no loss rather than refused.
        TrainingResult eight = new TrainingResult(ObjectRef.parse("s3://mole/runs/ft-curves/seed-8/manifest.json"), 0, 0,
                Double.NaN, Map.of("python/python", 4.0), Map.of(), Map.of());
        catalog.seedFinished("ft-curves", 8, eight);
        assertThat(catalog.seeds("ft-curves")).extracting(FinetuneCatalog.SeedRow::seed).containsExactly(7L, 8L);
        assertThat(catalog.seeds("ft-curves").get(1).finalTrainLoss()).isNull();

        FinetuneSummary summary = new FinetuneSummary("ft-curves", List.of(new FinetuneSummary.SeedResult(7, retried),
                new FinetuneSummary.SeedResult(8, eight)),
                Map.of("python/python", FinetuneSummary.Spread.of(List.of(1.5, 4.0))));
        catalog.finished("ft-curves", summary, null);
        FinetuneCatalog.FinetuneRun run = catalog.find("ft-curves").orElseThrow();
        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.seedsDone()).isEqualTo(2);
        assertThat(run.seeds()).containsExactly(7L, 8L);
        assertThat(run.request()).isEqualTo(request);
        assertThat(run.summary().validationLoss()).isEqualTo(summary.validationLoss());
        assertThat(run.summary().seeds()).allSatisfy(s -> {
            assertThat(s.result().lossCurves()).isEmpty();
            assertThat(s.result().validationLoss()).isNotEmpty();
        });
        assertThat(catalog.list(10)).extracting(FinetuneCatalog.FinetuneRun::runId).contains("ft-curves");
    }

    @Test
    void eachFailedSeedKeepsItsOwnReasonUntilAResultReplacesIt() {
        FinetuneCatalog catalog = new FinetuneCatalog(current);
        catalog.started("ft-failures", request(TrainingMethod.MOLE, List.of(1L, 2L, 3L)));
        catalog.seedFailed("ft-failures", 2, "CUDA out of memory");
        catalog.seedFailed("ft-failures", 3, "fp16 training overflowed");
        catalog.seedFailed("ft-failures", 3, "fp16 training overflowed again"); // a retried workflow records it again
        assertThat(catalog.seedFailures("ft-failures"))
                .containsExactly(Map.entry(2L, "CUDA out of memory"), Map.entry(3L, "fp16 training overflowed again"));

        catalog.seedFinished("ft-failures", 2, new TrainingResult(ObjectRef.parse("s3://mole/runs/ft-failures/seed-2/manifest.json"),
                4, 0, 1.5, Map.of("all", 1.5), Map.of(), Map.of()));
        assertThat(catalog.seedFailures("ft-failures")).containsOnlyKeys(3L);
        assertThat(catalog.seedFailures("no-such-run")).isEmpty();
    }

    @Test
    void seedRowsRecordedBeforeTheCurvesMigrationStillRead() throws Exception {
        try (Connection c = current.getConnection(); Statement st = c.createStatement()) {
            st.execute("create database before_curves");
        }
        try (HikariDataSource old = dataSource(stack.endpoints(), "before_curves")) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").target("2").load().migrate();
            try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
                st.execute("""
                        insert into finetune_runs (run_id, name, method, variant, init, seeds, request, dataset_manifest,
                            base_checkpoint, status)
                        values ('ft-old', 'old', 'MOLE', '48+16', 'shared_first', '[1]', '{}', 's3://mole/d/manifest.json',
                            's3://mole/models/tiny', 'RUNNING')""");
                st.execute("""
                        insert into finetune_seed_results (run_id, seed, output_manifest, steps, final_train_loss,
                            validation_loss)
                        values ('ft-old', 1, 's3://mole/runs/ft-old/seed-1/manifest.json', 40, 1.5, '{"all": 1.75}')""");
            }
            Migrations.migrate(old);

            FinetuneCatalog.SeedRow row = new FinetuneCatalog(old).seeds("ft-old").getFirst();
            assertThat(row.steps()).isEqualTo(40);
            assertThat(row.validationLoss()).isEqualTo(Map.of("all", 1.75));
            assertThat(row.lossCurves()).isEmpty();
            assertThat(row.validationCurves()).isEmpty();
            assertThat(row.resumedFromStep()).as("not recorded then, so unknown rather than 0").isNull();
        }
    }

    private static FinetuneRequest request(TrainingMethod method, List<Long> seeds) {
        return new FinetuneRequest("catalog", method, "64", "shared_first", seeds,
                TrainingHyperParameters.paper().withMaxSteps(6), ObjectRef.parse("s3://mole/datasets/d1/manifest.json"),
                ObjectRef.parse("s3://mole/models/tiny"));
    }

    private static HikariDataSource dataSource(StackEndpoints e, String database) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(e.jdbcUrl().replaceFirst("/postgres$", "/" + database));
        ds.setUsername(e.jdbcUser());
        ds.setPassword(e.jdbcPassword());
        ds.setMaximumPoolSize(2);
        return ds;
    }
}
