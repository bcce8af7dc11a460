package dev.tokenreduce.core.policy;

import dev.tokenreduce.core.op.TokenOperator;

/**
 * One validated step of a policy.
 *
 * @param index 1-based position in the policy, for messages
 * @param op operator id
 * @param at where it runs
 * @param operator the configured operator
 * @param params the parameters as written (for reports and provenance)
 */
public record PolicyStep(int index, String op, HookPoint at, TokenOperator operator, java.util.Map<String, Object> params) {}
