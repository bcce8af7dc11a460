/**
 * Analytic FLOPs of a forward pass, counted the way the token-reduction papers do (1 multiply-add = 2 FLOPs):
 * linear layers and attention matrix products as "matmul" FLOPs, norms, softmax, activations, biases and residual
 * adds as "other" FLOPs, and every reducer's own cost as its own component. Every figure carries the
 * {@link dev.tokenreduce.eval.flops.TokenSchedule} it was computed for, so the per-layer token counts can be
 * printed next to it.
 */
package dev.tokenreduce.eval.flops;
