/**
 * MoLE model core (issue 3): a LLaMA-family decoder on DJL's PyTorch engine with Mix-of-Language-Experts adapters.
 *
 * <ul>
 *   <li>Loading: {@link dev.mole.gpu.model.LlamaModel#load} reads {@code config.json} ({@link dev.mole.gpu.model.LlamaConfig}),
 *       single or sharded safetensors (F32/F16/BF16, memory-mapped, widened to float32 in Java) and {@code tokenizer.json};
 *       a broken checkpoint throws {@link dev.mole.gpu.model.CheckpointException} naming the problem.
 *       {@link dev.mole.gpu.model.TinyCheckpointFactory} writes small deterministic checkpoints for tests and demos.</li>
 *   <li>Forward: {@link dev.mole.gpu.model.LlamaModel#forward} (one sequence, optional {@link dev.mole.gpu.model.KvCache},
 *       per-token {@link dev.mole.gpu.model.Route}s); the device comes from {@link dev.mole.gpu.model.ModelOptions}.</li>
 *   <li>Adapters: {@link dev.mole.gpu.model.MoleAdapters#install} with a {@link dev.mole.gpu.model.MoleConfig}
 *       (MoLE r_s+r_e, nl_expert, single LoRA; PiSSA shared_first/shared_last or std init; randomised (default) or exact
 *       SVD, or the base's {@link dev.mole.gpu.model.PissaFactors} computed once and shared by every arm with the same k);
 *       routing {@link dev.mole.gpu.model.RoutingMode#GROUPED} or the reference's NAIVE masked form.</li>
 *   <li>Data: {@link dev.mole.gpu.model.RecordTokenizer} turns {@link dev.mole.gpu.model.CuratedRecord}s into ids, loss mask
 *       and routes (docs/mole-protocol.md section 3) and builds inference prompts labelled the same way.</li>
 *   <li>Generation: {@link dev.mole.gpu.model.Generator} (one sequence, KV cache, streaming) and
 *       {@link dev.mole.gpu.model.BatchGenerator} (many sequences decoding together, continuous batching) with a
 *       {@link dev.mole.gpu.model.RoutePolicy}: automated ({@link dev.mole.gpu.model.FenceRouter}), manual or forced;
 *       greedy or seeded {@link dev.mole.gpu.model.Sampling}, per-request {@link dev.mole.gpu.model.StopRule}.</li>
 * </ul>
 * Everything under {@code internal} may change without notice.
 */
package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
