package dev.mole.console.internal;

import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One evaluation in full.
 *
 * @param request as started; null while the evaluation is not recorded yet
 * @param scores  every cell's Pass@1 (empty until it completed)
 * @param live    what Temporal shows of the workflow while the catalog says RUNNING; null otherwise
 */
public record EvaluationDetailView(EvaluationRunView evaluation, RequestView request, List<ScoreView> scores,
        LiveView live) {

    /** The request with languages by id and pairs written source-target, as the form takes them. */
    public record RequestView(String name, String base, String adapters, List<String> kinds, List<String> languages,
            List<String> pairs, int limit, String routing, String translationRouting, boolean specialisation,
            double temperature, double topP, int samples, long seed, int maxNewTokens, String oracle) {

        static RequestView of(EvaluationRequest r) {
            return new RequestView(r.name(), r.baseCheckpoint() == null ? null : r.baseCheckpoint().uri(),
                    r.adapters() == null ? null : r.adapters().uri(), r.kinds().stream().map(TaskKind::name).toList(),
                    r.languages().stream().map(Language::id).toList(),
                    r.pairs().stream().map(LanguagePair::toString).toList(), r.limit(), mode(r.routing()),
                    mode(r.translationRouting()), r.specialisation(), r.sampling().temperature(), r.sampling().topP(),
                    r.sampling().samples(), r.sampling().seed(), r.maxNewTokens(),
                    r.oracle().name().toLowerCase(Locale.ROOT));
        }

        /** As the form takes it: {@code auto} or {@code manual}. */
        private static String mode(Routing.Mode m) {
            return m == Routing.Mode.AUTOMATED ? "auto" : m.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One cell.
     *
     * @param language the language written (translation's target), by id
     * @param source   translation's source language by id, else null
     * @param routing  auto, manual, forced:EXPERT or forced:nl
     */
    public record ScoreView(String kind, String language, String source, String routing, int passed, int total,
            double passAt1, Map<Integer, Double> passAtK) {

        static ScoreView of(Score s) {
            return new ScoreView(s.kind().name(), s.language().id(), s.source() == null ? null : s.source().id(),
                    s.routing(), s.passed(), s.total(), s.passAt1(), s.passAtK());
        }
    }

    /**
     * A running evaluation's workflow as Temporal describes it now.
     *
     * @param workflowStatus   Temporal's word ("running", "completed", "failed", "terminated"...), or "unknown" when
     *                         Temporal no longer knows the workflow
     * @param phase            what the pending activities are doing: planning, generating, extracting programs,
     *                         running programs, scoring; "between steps" when none is pending
     * @param samplesGenerated samples the pending generation activities report finished (their heartbeats)
     */
    public record LiveView(String workflowStatus, String phase, Instant startedAt, long samplesGenerated,
            List<LiveActivity> activities) {}

    /**
     * @param state       "scheduled" (waiting for a worker or its next retry) or "started"
     * @param samplesDone a generation activity's last heartbeat, or null
     */
    public record LiveActivity(String type, String state, int attempt, Long samplesDone, String lastFailure) {}
}
