/**
 * {@code tokenreduce apply}: one operator on named tensors from a safetensors file, for debugging and for checking
 * against other implementations. Operators with a contract of their own ({@code expedit-cluster},
 * {@code expedit-reconstruct}, {@code todre-diversity}, {@code tome}) have an adapter; every other registered
 * operator runs through the generic {@code tokens} adapter.
 */
package dev.tokenreduce.cli.apply;
