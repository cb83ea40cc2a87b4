package dev.mole.orchestrator.workers;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.config.Setting;
import dev.mole.orchestrator.LocalPlatform;
import io.temporal.activity.ActivityOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A CPU worker as its own process, for clusters (one per machine) and for tests that kill a worker mid-activity.
 * Every service must be configured (MOLE_TEMPORAL_TARGET, MOLE_JDBC_URL, MOLE_S3_ENDPOINT...): a worker never starts
 * embedded services of its own. {@code mole.curation.heartbeat-timeout} (seconds) bounds how long a dead worker's
 * curation stays unnoticed.
 */
public final class CpuWorkerMain {
    private CpuWorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        if (settings.embeddedTemporal() || settings.embeddedPostgres() || settings.embeddedS3()) {
            System.err.println("cpu worker: set MOLE_TEMPORAL_TARGET, MOLE_JDBC_URL and MOLE_S3_ENDPOINT (with access "
                    + "and secret keys); a worker joins a running platform and starts no services itself");
            System.exit(2);
        }
        LocalPlatform platform = LocalPlatform.start(settings, options(), true);
        System.out.println("cpu worker polling " + settings.temporalTarget().orElseThrow());
        System.out.println(platform.ops().describe());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stop.countDown();
        }));
        stop.await();
    }

    static WorkflowImplementationOptions options() {
        int seconds = Setting.CURATION_HEARTBEAT_TIMEOUT.readInt(0);
        return seconds <= 0 ? WorkflowImplementationOptions.getDefaultInstance()
                : heartbeatTimeout(Duration.ofSeconds(seconds));
    }

    /** Overrides the heartbeat timeout of the long curation activities, keeping their other options. */
    public static WorkflowImplementationOptions heartbeatTimeout(Duration timeout) {
        ActivityOptions o = ActivityOptions.newBuilder().setHeartbeatTimeout(timeout).build();
        return WorkflowImplementationOptions.newBuilder()
                .setActivityOptions(Map.of("Fingerprint", o, "Curate", o))
                .build();
    }
}
