package dev.mole.contracts.curation;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Curates a Glaive-style question/answer file into a versioned, content-addressed dataset. */
@WorkflowInterface
public interface CurationWorkflow {
    @WorkflowMethod
    DatasetSummary curate(CurationRequest request);
}
