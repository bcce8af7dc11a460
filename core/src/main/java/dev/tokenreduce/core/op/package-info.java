/**
 * The operator SPI: {@link dev.tokenreduce.core.op.TokenOperator}, the base class that owns the invariants
 * ({@link dev.tokenreduce.core.op.AbstractTokenReducer}), parameters, the ServiceLoader registry and records.
 */
package dev.tokenreduce.core.op;
