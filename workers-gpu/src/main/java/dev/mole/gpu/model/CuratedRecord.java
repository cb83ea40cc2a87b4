package dev.mole.gpu.model;

import java.util.List;

/** One curated training sample: instruction, response and the code blocks found in them (docs/mole-protocol.md section 3). */
public record CuratedRecord(String question, String answer, List<CodeSpan> spans) {
    public CuratedRecord {
        spans = List.copyOf(spans);
    }
}
