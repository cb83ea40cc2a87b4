package dev.mole.console;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** A real embedded platform (PostgreSQL, S3, Temporal test server, CPU worker) on free ports, with the console on it. */
final class ConsoleStack implements AutoCloseable {
    final LocalPlatform local;
    final ConsoleServer console;
    final Path home;

    private ConsoleStack(LocalPlatform local, ConsoleServer console, Path home) {
        this.local = local;
        this.console = console;
        this.home = home;
    }

    static ConsoleStack start(Path home) {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(home.resolve("mole"))
                .withPorts(0, 0, 0, 0).withCurationInputRoots(java.util.List.of(home));
        LocalPlatform local = LocalPlatform.start(settings);
        try {
            return new ConsoleStack(local, ConsoleServer.start(local.platform(), "127.0.0.1", 0), home);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    /** Writes {@code rows} Glaive-like rows to a file under the stack's home. */
    Path glaiveFile(String name, long seed, long rows) throws IOException {
        Path file = home.resolve(name);
        new GlaiveLikeGenerator(seed).write(file, rows);
        return file;
    }

    /** Curates {@code rows} generated rows through the real workflow; the dataset the finetune tests train on. */
    DatasetSummary curatedDataset(String name, long seed, long rows) throws IOException, TimeoutException {
        Path file = glaiveFile(name, seed, rows);
        CurationService curation = new CurationService(local.platform().workflowClient());
        return curation.await(curation.start(CurationRequest.of(file.toString())), Duration.ofMinutes(2));
    }

    /** A base-model folder in the object store as far as the console checks it (config.json); fake workers read nothing. */
    String fakeBaseCheckpoint() {
        ObjectRef folder = new ObjectRef(local.platform().bucket(), "models/fake-base");
        local.platform().blobStore().put(folder.child("config.json"), "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        return folder.uri();
    }

    @Override
    public void close() {
        try {
            console.close();
        } finally {
            local.close();
        }
    }
}
