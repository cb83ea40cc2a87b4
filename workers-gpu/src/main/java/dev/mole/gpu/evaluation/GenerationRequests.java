package dev.mole.gpu.evaluation;

import dev.mole.contracts.evaluation.GeneratedSample;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.evaluation.GenerationTask;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.Generation;
import dev.mole.gpu.model.GenerationRequest;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.RecordTokenizer;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.model.Sampling;
import dev.mole.gpu.model.StopRule;
import dev.mole.gpu.model.TokenizedSample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Evaluation tasks as model requests, and generations as the samples the orchestrator grades. */
final class GenerationRequests {
    private GenerationRequests() {}

    /** Consecutive runs of tasks that need the same PER_LANG adapter (a single run for every other method). */
    static List<List<GenerationTask>> byAdapterLanguage(List<GenerationTask> tasks) {
        Map<Language, List<GenerationTask>> groups = new LinkedHashMap<>();
        List<GenerationTask> none = new ArrayList<>();
        for (GenerationTask t : tasks) {
            if (t.adapterLanguage() == null) none.add(t);
            else groups.computeIfAbsent(t.adapterLanguage(), k -> new ArrayList<>()).add(t);
        }
        List<List<GenerationTask>> out = new ArrayList<>();
        if (!none.isEmpty()) out.add(none);
        out.addAll(groups.values());
        return out;
    }

    static List<GenerationRequest> of(LlamaModel model, GenerationChunk chunk, List<GenerationTask> tasks) {
        RecordTokenizer tokenizer = RecordTokenizer.forModel(model, Integer.MAX_VALUE);
        List<GenerationRequest> out = new ArrayList<>(tasks.size());
        for (GenerationTask t : tasks) {
            TokenizedSample p = tokenizer.prompt(t.instruction(), t.responsePrefix());
            out.add(new GenerationRequest(t.sampleId(), p.ids(), p.routes(), policy(t.routing()), t.responsePrefix(),
                    t.maxNewTokens(), stopRule(t), sampling(chunk, t)));
        }
        return out;
    }

    static RoutePolicy policy(Routing r) {
        return switch (r.mode()) {
            case AUTOMATED -> RoutePolicy.automated();
            case MANUAL -> RoutePolicy.manual(r.language());
            case FORCED -> RoutePolicy.forced(r.language() == null ? Route.NL : Route.code(r.language()));
        };
    }

    static StopRule stopRule(GenerationTask t) {
        var rule = dev.mole.evaluation.StopRules.of(t.kind(), t.language(), t.responsePrefix());
        return rule::cut;
    }

    /**
     * Each sample draws from its own stream, seeded by the evaluation's seed and the sample's id: the same sample gets the
     * same text whatever chunk or batch it lands in.
     */
    static Sampling sampling(GenerationChunk chunk, GenerationTask t) {
        var s = chunk.sampling();
        if (s.greedyDecoding()) return Sampling.greedy();
        long h = s.seed();
        for (byte b : t.sampleId().getBytes(StandardCharsets.UTF_8)) h = (h ^ b) * 0x100000001b3L;
        return Sampling.of(s.temperature(), s.topP(), h);
    }

    static GeneratedSample sample(LlamaModel model, Generation g) {
        List<String> routes = new ArrayList<>(g.routes().length);
        for (int r : g.routes()) routes.add(Route.name(r));
        int cut = g.stop() == dev.mole.gpu.model.StopReason.STOP_RULE ? g.cutAt() : -1;
        return new GeneratedSample(g.id(), g.text(), cut, g.stop().name(), pieces(model, g), routes);
    }

    private static List<String> pieces(LlamaModel model, Generation g) {
        Objects.requireNonNull(model);
        return dev.mole.gpu.model.TokenPieces.of(model, g.tokens());
    }
}
