package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import java.util.List;
import java.util.stream.Collectors;

/** What a started sandbox can run and which limits are in force: printed at worker start. */
public record SandboxReport(List<ToolchainStatus> toolchains, List<String> limitsInForce, List<String> cacheNotes) {

    public boolean canRun(Language language) {
        return toolchains.stream().anyMatch(t -> t.language() == language && t.available());
    }

    public String render() {
        StringBuilder sb = new StringBuilder("Sandbox limits in force:\n");
        limitsInForce.forEach(l -> sb.append("  - ").append(l).append('\n'));
        sb.append("Toolchains:\n");
        for (ToolchainStatus t : toolchains) {
            sb.append(String.format("  %-10s %s  %s%n", t.language().id(), t.available() ? "OK     " : "MISSING", t.version()));
            t.warnings().forEach(w -> sb.append("         warning: ").append(w).append('\n'));
        }
        if (!cacheNotes.isEmpty()) {
            sb.append("Compile caches:\n").append(cacheNotes.stream().map(n -> "  - " + n).collect(Collectors.joining("\n"))).append('\n');
        }
        return sb.toString();
    }
}
