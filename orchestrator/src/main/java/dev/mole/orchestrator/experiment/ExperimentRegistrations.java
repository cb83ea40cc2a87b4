package dev.mole.orchestrator.experiment;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Map;

/**
 * Where an experiment's trained outputs become versions downstream apps can pull (docs/architecture.md, "Data flow of
 * an experiment"): one registered model per experiment arm, one version per seed, named {@code model@version}.
 */
public interface ExperimentRegistrations {

    /** Registers one arm x seed's trained output over the experiment's base; returns {@code model@version}. */
    String register(String experimentId, String experimentName, String arm, long seed, ObjectRef base, ObjectRef manifest);

    /** Records an evaluation's headline numbers on the version {@link #register} returned. */
    void recordMetrics(String registered, String evaluationId, Map<String, Double> metrics);

    /** The registered model of an arm: lower-case letters, digits, dots and dashes. */
    static String modelName(String experimentName, String arm) {
        return (experimentName + "." + arm).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.\\-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[-.]+|[-.]+$", "");
    }
}
