/**
 * Dataset curation (docs/mole-protocol.md section 3): a pure, streaming engine with no Temporal, database or object store in it.
 *
 * <p>Use: open a {@link dev.mole.orchestrator.curation.RowSource} with {@link dev.mole.orchestrator.curation.RowSources},
 * run {@link dev.mole.orchestrator.curation.CurationEngine#plan} (pass 1), open the input again and run
 * {@link dev.mole.orchestrator.curation.CurationEngine#write} (pass 2) with a
 * {@link dev.mole.orchestrator.curation.ShardSink}; persist the
 * {@link dev.mole.orchestrator.curation.WriteCheckpoint}s it reports to resume pass 2 after a crash; write the manifest
 * with {@link dev.mole.orchestrator.curation.ManifestWriter}.
 *
 * <p>Decisions where the protocol (docs/mole-protocol.md) leaves room (each is documented where it is implemented):
 * <ul>
 *   <li>fences: {@code internal.NormalizedFenceParser} (CommonMark, aliases in {@code internal.LanguageAliases}) and
 *       {@code internal.StrictFenceParser} (the reference regex {@code ```(\w*)(.*?)```});
 *   <li>words: {@code internal.WordCounter}; code words are block contents, the total is the raw text of question and
 *       answer (fence markers are non-code words). The paper's prose says "characters", the protocol page says words; we follow
 *       the protocol page;
 *   <li>main language ties go to the tied language seen first; the first fence problem in text order names the drop;
 *   <li>split: {@code Math.round(share * n)} per main language (half up), smallest seeded hashes of
 *       (seed, row index, content), ties at the threshold by input order.
 * </ul>
 */
package dev.mole.orchestrator.curation;
