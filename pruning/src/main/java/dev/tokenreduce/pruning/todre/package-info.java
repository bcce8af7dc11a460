/**
 * ToDRE (Li et al., arXiv 2505.18757): visual token pruning by diversity and task relevance.
 * <ul>
 *   <li>Stage 1, {@code todre-diversity} at {@code vision-output}: {@link dev.tokenreduce.pruning.todre.DiversitySelector}
 *       keeps a diverse subset of the projected visual tokens, greedy max-sum (v2, default) or k-center (v1) in
 *       cosine space from the [CLS]-attention pivot. The [CLS] attention is softmax(q_CLS·K_patchᵀ/√d_head) of the
 *       vision-encoder layer whose output feeds the projector (LLaVA: the penultimate), averaged over heads,
 *       restricted to patch keys; hosts pass it as {@link dev.tokenreduce.core.op.StepContext#CLS_ATTENTION}.</li>
 *   <li>Stage 2, {@code todre-relevance} at {@code {decoder-layer: N}}: {@link dev.tokenreduce.pruning.todre.RelevanceCheck}
 *       measures how much the text attends to the image at one layer and removes every visual token for the rest
 *       of the prefill when that is below τ.</li>
 * </ul>
 */
package dev.tokenreduce.pruning.todre;
