package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;

/** How generated tokens are routed (docs/mole-protocol.md section 5). */
public sealed interface RoutePolicy {

    /** Start in NL; switch to a language's expert after an opening fence with a known tag, back to NL after the closing fence. */
    record Automated() implements RoutePolicy {}

    /** Every generated token uses the named language's expert (prompt labelled like training). */
    record Manual(Language language) implements RoutePolicy {}

    /** Every token, prompt included, takes this route (any expert, or NL only): for specialisation analysis. */
    record Forced(int route) implements RoutePolicy {}

    static RoutePolicy automated() {
        return new Automated();
    }

    static RoutePolicy manual(Language l) {
        return new Manual(l);
    }

    static RoutePolicy forced(int route) {
        return new Forced(route);
    }
}
