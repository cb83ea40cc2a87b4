package dev.mole.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.orchestrator.datasets.DatasetCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run left RUNNING by a process that died is failed with a reason at the next start, not shown as running forever. */
@Tag("stack")
class LocalPlatformRestartTest {
    @TempDir
    Path home;

    @Test
    void runsOfAnEarlierProcessAreMarkedFailedWithAReason() {
        try (LocalPlatform first = LocalPlatform.start(TestStacks.embedded(home))) {
            new DatasetCatalog(first.platform().dataSource()).startRun("curation-old", "old", "/in.jsonl", "{}");
        }
        try (LocalPlatform second = LocalPlatform.start(TestStacks.embedded(home))) {
            var run = new DatasetCatalog(second.platform().dataSource()).findRun("curation-old").orElseThrow();
            assertThat(run.status()).isEqualTo("FAILED");
            assertThat(run.error()).contains("platform stopped while this run was in progress");
        }
    }
}
