package dev.mole.orchestrator.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * An evaluation's id: sha256 of the protocol version, the model's content identity and every setting that can change a
 * result, with list order and the name left out. Same adapters + same settings = same id = the finished evaluation is
 * reused. Bump {@link #PROTOCOL} when prompts, stop rules, extraction or grading change.
 */
public final class EvaluationIds {
    public static final String PROTOCOL = "mole-humanevalpack-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationIds() {}

    /** Checks the model (see {@link EvaluationModels}) and derives the id; IllegalArgumentException for bad input. */
    public static String of(BlobStore store, EvaluationRequest r) {
        return of(EvaluationModels.identity(store, r), r);
    }

    static String of(String modelIdentity, EvaluationRequest r) {
        ObjectNode n = JSON.valueToTree(r);
        n.remove("name");
        n.remove("baseCheckpoint");
        n.remove("adapters");
        n.set("kinds", JSON.valueToTree(r.kinds().stream().sorted().toList()));
        n.set("languages", JSON.valueToTree(r.languages().stream().sorted().toList()));
        n.set("pairs", JSON.valueToTree(r.pairs().stream().map(Object::toString).sorted(Comparator.naturalOrder()).toList()));
        n.put("protocol", PROTOCOL);
        n.put("model", modelIdentity);
        return BaseModelIdentity.sha256(n.toString().getBytes(StandardCharsets.UTF_8));
    }
}
