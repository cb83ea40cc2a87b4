package dev.mole.orchestrator.experiment;

import dev.mole.contracts.experiment.ExperimentRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An experiment's id: {@code experiment-} and 20 hex digits of the sha256 of its request's JSON with the name left out,
 * so the same request is the same experiment (started again, it reuses what it finished) whatever it is called.
 * Record components serialise in declaration order, so the JSON of one request is always the same text.
 */
public final class ExperimentIds {
    public static final String PREFIX = "experiment-";

    private ExperimentIds() {}

    public static String of(ExperimentRequest r) {
        ExperimentRequest unnamed = new ExperimentRequest("", r.datasetManifest(), r.curation(), r.baseCheckpoint(), r.arms(),
                r.seeds(), r.evaluation(), r.svd());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ExperimentCatalog.json(unnamed).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
