/**
 * Finetuning with MoLE and the paper's baselines (docs/mole-protocol.md section 4) on the model core.
 *
 * <ul>
 *   <li>{@link dev.mole.gpu.training.FineTuner}: one method end to end on local files (MoLE in every layout/variant/init the
 *       model core supports, AllLang-FT, PerLang-FT, Full-FT, No-FT) and the output folder.</li>
 *   <li>{@link dev.mole.gpu.training.TrainingLoop}: answer-token loss, gradient accumulation over an effective batch with one
 *       forward per sequence (no padding at all), {@link dev.mole.gpu.training.AdamW} (own implementation: state exportable),
 *       {@link dev.mole.gpu.training.LinearWarmupDecay}, epochs, seeded data order, per-language validation, progress events,
 *       checkpoints through a {@link dev.mole.gpu.training.CheckpointStore} and exact resume.</li>
 *   <li>{@link dev.mole.gpu.training.LocalCheckpointStore} (temp dir + atomic rename) and
 *       {@link dev.mole.gpu.training.ObjectStoreCheckpointStore} (parts, then a {@code checkpoint.json} commit marker with
 *       each part's sha256).</li>
 *   <li>Output: {@code adapter-<name>.safetensors} per component (PEFT orientation), {@code base-residual-factors.safetensors}
 *       (W_res = W - U SVt), {@code manifest.json}; {@link dev.mole.gpu.training.TrainedModels} loads it back onto the original
 *       base; {@link dev.mole.gpu.training.PeftExporter} writes AllLang-FT as a PEFT LoRA against the original base.</li>
 *   <li>Precision: fp32, or fp16 through {@link dev.mole.gpu.training.HalfPrecisionTraining} (fp16 compute, fp32 master
 *       weights in checkpoints, {@link dev.mole.gpu.training.DynamicLossScale}); bf16 is refused (DJL aborts on it).</li>
 *   <li>{@link dev.mole.gpu.training.TrainingActivitiesImpl}: the Temporal activity on the GPU task queue; it heartbeats
 *       the seed and the latest progress with a bounded loss curve ({@code LossCurve} in contracts).</li>
 *   <li>{@link dev.mole.gpu.training.SvdActivitiesImpl}: the SVD stage, PiSSA factors of a base computed once and kept in
 *       the content-addressed {@link dev.mole.gpu.training.SvdFactorStore} (manifest last) for every seed and arm.</li>
 *   <li>DJL's sharp edges are handled in {@link dev.mole.gpu.training.internal.AutogradScope} (training side) and the model's
 *       {@code Tensors} (forward side).</li>
 * </ul>
 *
 * <p>Known differences from the reference: gradients of adapters that got no token in a step are zero rather than None, so
 * AdamW still moves them by their momentum (PyTorch skips None); an adapter that never sees a token never moves in either.
 * fp16 skips a step whose scaled gradients overflow but still advances the schedule and the data order (as a loop that
 * calls the scheduler after GradScaler's skipped step does).
 */
package dev.mole.gpu.training;
