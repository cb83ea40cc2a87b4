package dev.mole.contracts.language;

import java.util.List;

/**
 * What a fence parser found in one field.
 *
 * @param blocks       blocks with a known language, in text order
 * @param firstProblem {@link FenceProblem#UNKNOWN_LANGUAGE} or {@link FenceProblem#UNLABELLED_FENCE} for the first fence
 *                     that makes the sample unusable, or null
 * @param unknownTags  lower-cased unknown tags in text order (may repeat)
 */
public record FenceScan(List<CodeBlock> blocks, FenceProblem firstProblem, List<String> unknownTags) {}
