package dev.mole.registry;

import java.util.Map;

/**
 * Where a version came from. Experiment and arm come from whoever registers (the experiment workflow); the rest is read
 * from the adapter manifest, so it cannot disagree with the files.
 *
 * @param settings method, layout, init, SVD, ranks and hyper-parameters as the manifest records them
 */
public record Lineage(String experimentId, String arm, long seed, String datasetId, String baseModelSha256,
                      String platformVersion, String source, Map<String, Object> settings) {}
