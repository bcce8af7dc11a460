/**
 * TransPrune (Li, Duan et al., CVPR 2026; official code liaolea/TransPrune, which is the reference where it differs
 * from the paper): progressive pruning of image tokens inside the language-model decoder during prefill, scored by
 * token transition variation ({@link dev.tokenreduce.pruning.transprune.TokenTransitionVariation}, accumulated by
 * {@link dev.tokenreduce.pruning.transprune.TtvAccumulator}) and instruction-guided attention
 * ({@link dev.tokenreduce.pruning.transprune.InstructionGuidedAttention}), combined by
 * {@link dev.tokenreduce.pruning.transprune.TransPruneScore} on the layer schedule of
 * {@link dev.tokenreduce.pruning.transprune.TransPruneSchedule}. A decoder drives one forward pass through a
 * {@link dev.tokenreduce.pruning.transprune.TransPruneSession}; layers are 1-based in schedules, layer indices
 * ({@code layerIndex}) 0-based as in {@link dev.tokenreduce.core.op.StepContext#layerIndex()}.
 */
package dev.tokenreduce.pruning.transprune;
