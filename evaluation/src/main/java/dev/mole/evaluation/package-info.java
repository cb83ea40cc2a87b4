/**
 * The HumanEvalPack evaluation protocol as plain text logic: the data ({@link dev.mole.evaluation.HumanEvalPack}), the
 * prompts of each task kind ({@link dev.mole.evaluation.EvalPrompts}), where a generated answer ends
 * ({@link dev.mole.evaluation.StopRules}, {@link dev.mole.evaluation.Completions}), explain's description clean-up
 * ({@link dev.mole.evaluation.Descriptions}), the program the sandbox grades ({@link dev.mole.evaluation.GradedPrograms}),
 * an answer-knowing stand-in model ({@link dev.mole.evaluation.OracleAnswers}) and pass@k ({@link dev.mole.evaluation.PassAtK}).
 * No model and no workers here: the GPU worker, the orchestrator and the sandbox share it. The protocol, and where and
 * why it departs from the upstream harness: docs/evaluation-protocol.md.
 */
package dev.mole.evaluation;
