package dev.mole.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.datasets.CurationRun;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.datasets.DatasetRecord;
import dev.mole.orchestrator.workflows.CurationWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curation workflow on the real embedded stack: PostgreSQL, the S3 protocol, Temporal's test server. */
@Tag("stack")
class CurationEndToEndTest {
    @TempDir
    static Path home;
    static LocalPlatform local;
    static CurationService curation;
    static DatasetCatalog catalog;
    static Path input;

    @BeforeAll
    static void start() throws Exception {
        local = LocalPlatform.start(TestStacks.isolated(home.resolve("mole")));
        curation = new CurationService(local.platform().workflowClient());
        catalog = new DatasetCatalog(local.platform().dataSource());
        input = home.resolve("glaive.jsonl");
        new GlaiveLikeGenerator(11L).write(input, 3_000);
    }

    @AfterAll
    static void stop() {
        if (local != null) { // null when the stack was skipped (-P containers without Docker)
            local.close();
        }
    }

    @Test
    void curatesPublishesAndReusesADataset() throws Exception {
        CurationRequest request = CurationRequest.of(input.toString());
        String runId = curation.start(request);
        DatasetSummary s = curation.await(runId, Duration.ofMinutes(5));

        assertThat(s.reused()).isFalse();
        assertThat(s.inputRows()).isEqualTo(3_000);
        assertThat(s.keptRows()).isPositive().isEqualTo(s.trainRows() + s.validationRows());
        assertThat(s.keptRows() + s.droppedRows()).isEqualTo(s.inputRows());

        // The catalog row, the manifest and every shard agree, byte for byte.
        DatasetRecord record = catalog.find(s.datasetId()).orElseThrow();
        assertThat(record.manifestUri()).isEqualTo(s.manifestUri());
        JsonNode manifest = new ObjectMapper().readTree(local.platform().blobStore().read(ObjectRef.parse(s.manifestUri())));
        long rows = 0;
        for (JsonNode shard : manifest.get("shards")) {
            byte[] bytes = local.platform().blobStore().read(ObjectRef.parse(s.manifestUri()).sibling(shard.get("name").asText()));
            assertThat(sha256(bytes)).isEqualTo(shard.get("sha256").asText());
            rows += shard.get("rows").asLong();
        }
        assertThat(rows).isEqualTo(s.keptRows());
        CurationRun run = catalog.findRun(runId).orElseThrow();
        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.datasetId()).isEqualTo(s.datasetId());
        assertThat(run.rowsRead()).isEqualTo(3_000);
        assertThat(run.fraction()).isEqualTo(1.0);

        // Same input and request: the same dataset, no second curation.
        DatasetSummary again = curation.await(curation.start(request), Duration.ofMinutes(2));
        assertThat(again.reused()).isTrue();
        assertThat(again.datasetId()).isEqualTo(s.datasetId());
        assertThat(catalog.list()).filteredOn(d -> d.datasetId().equals(s.datasetId())).hasSize(1);

        // A different request on the same input is another dataset.
        CurationRequest strict = new CurationRequest(null, input.toString(), "auto", "question", "answer",
                FenceMode.STRICT, 0.05, 42);
        assertThat(curation.await(curation.start(strict), Duration.ofMinutes(5)).datasetId()).isNotEqualTo(s.datasetId());

        WorkflowReplayer.replayWorkflowExecution(local.platform().workflowClient().fetchHistory(runId),
                CurationWorkflowImpl.class);
    }

    @Test
    void objectStoreInputCuratesToTheSameDatasetAsTheLocalFile() throws Exception {
        ObjectRef uploaded = new ObjectRef(local.platform().bucket(), "inputs/glaive.jsonl");
        local.platform().blobStore().putFile(uploaded, input, "application/x-ndjson");
        DatasetSummary fromFile = curation.await(curation.start(CurationRequest.of(input.toString())), Duration.ofMinutes(5));
        DatasetSummary fromS3 = curation.await(curation.start(CurationRequest.of(uploaded.uri())), Duration.ofMinutes(5));
        assertThat(fromS3.datasetId()).isEqualTo(fromFile.datasetId());
    }

    /** Parquet with other field names, read from the object store: the same rows give the same statistics. */
    @Test
    void parquetFromTheObjectStoreWithConfiguredFieldNames() throws Exception {
        Path parquet = home.resolve("glaive.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT question AS instruction, answer AS response FROM read_json('"
                    + input.toString().replace("'", "''") + "', format = 'newline_delimited')) TO '"
                    + parquet.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        ObjectRef uploaded = new ObjectRef(local.platform().bucket(), "inputs/glaive.parquet");
        local.platform().blobStore().putFile(uploaded, parquet, "application/octet-stream");
        DatasetSummary fromJsonl = curation.await(curation.start(CurationRequest.of(input.toString())), Duration.ofMinutes(5));
        DatasetSummary fromParquet = curation.await(curation.start(new CurationRequest("parquet", uploaded.uri(), "auto",
                "instruction", "response", FenceMode.NORMALIZED, 0.05, 42)), Duration.ofMinutes(5));
        assertThat(fromParquet.datasetId()).isNotEqualTo(fromJsonl.datasetId()); // other bytes, other id
        assertThat(fromParquet.inputRows()).isEqualTo(fromJsonl.inputRows());
        assertThat(fromParquet.keptRows()).isEqualTo(fromJsonl.keptRows());
        assertThat(fromParquet.validationRows()).isEqualTo(fromJsonl.validationRows());
        String statsJsonl = catalog.find(fromJsonl.datasetId()).orElseThrow().statisticsJson();
        String statsParquet = catalog.find(fromParquet.datasetId()).orElseThrow().statisticsJson();
        assertThat(new ObjectMapper().readTree(statsParquet).get("languages"))
                .isEqualTo(new ObjectMapper().readTree(statsJsonl).get("languages"));
    }

    @Test
    void badInputFailsWithAClearMessageAndLeavesNoDataset() throws Exception {
        int before = catalog.list().size();
        assertFails(home.resolve("missing.jsonl").toString(), "input file not found");
        Path empty = Files.createFile(home.resolve("empty.jsonl"));
        assertFails(empty.toString(), "input is empty");
        Path odd = Files.writeString(home.resolve("rows.csv"), "a,b\n");
        assertFails(odd.toString(), "Cannot tell the format");
        assertFails("s3://" + local.platform().bucket() + "/inputs/none.jsonl", "no object at");
        assertThat(catalog.list()).hasSize(before);
    }

    @Test
    void malformedRowsAreCountedNotFatal() throws Exception {
        Path mixed = home.resolve("mixed.jsonl");
        byte[] good = Files.readAllBytes(input);
        try (var out = Files.newOutputStream(mixed)) {
            out.write(good, 0, indexOfNthNewline(good, 50) + 1);
            out.write("{not json\n".getBytes());
            out.write("{\"question\": \"q only\"}\n".getBytes());
            out.write(new byte[] {'{', '"', 'q', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        }
        DatasetSummary s = curation.await(curation.start(CurationRequest.of(mixed.toString())), Duration.ofMinutes(5));
        assertThat(s.inputRows()).isEqualTo(53);
        JsonNode stats = new ObjectMapper().readTree(catalog.find(s.datasetId()).orElseThrow().statisticsJson());
        assertThat(stats.at("/droppedByReason/malformed_json").asLong()).isEqualTo(1);
        assertThat(stats.at("/droppedByReason/missing_field").asLong()).isEqualTo(1);
        assertThat(stats.at("/droppedByReason/invalid_utf8").asLong()).isEqualTo(1);
    }

    @Test
    void localInputsOutsideTheInputRootsAreRefusedUnread() throws Exception {
        int before = catalog.list().size();
        Path outside = Files.createTempDirectory("mole-outside-");
        try {
            Path secret = Files.copy(input, outside.resolve("secret.jsonl"));
            assertFails(secret.toString(), "outside the folders curation may read");
            Path link = Files.createSymbolicLink(home.resolve("inside-link.jsonl"), secret);
            assertFails(link.toString(), "outside the folders curation may read");
            assertFails(home.resolve("../" + outside.getFileName() + "/secret.jsonl").toString(),
                    "outside the folders curation may read");
        } finally {
            try (var files = Files.walk(outside)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(catalog.list()).hasSize(before);
    }

    private static void assertFails(String uri, String message) {
        String runId = curation.start(CurationRequest.of(uri));
        assertThatThrownBy(() -> curation.await(runId, Duration.ofMinutes(2)))
                .isInstanceOf(CurationService.CurationFailedException.class)
                .hasMessageContaining(message);
        CurationRun run = catalog.findRun(runId).orElseThrow();
        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(run.error()).contains(message);
    }

    private static int indexOfNthNewline(byte[] b, int n) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && --n == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
