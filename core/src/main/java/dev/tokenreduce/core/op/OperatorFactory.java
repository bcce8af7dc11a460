package dev.tokenreduce.core.op;

/**
 * Service-provider interface: creates a configured {@link TokenOperator} from policy parameters. Implementations
 * are listed in {@code META-INF/services/dev.tokenreduce.core.op.OperatorFactory} and found by
 * {@link OperatorRegistry}. A factory reads every parameter it supports through {@link Params} (so unknown keys
 * are detected) and validates ranges, failing with {@link Params#invalid}.
 */
public interface OperatorFactory {

    /** Stable id used in policies and on the command line, e.g. {@code expedit-cluster}. */
    String id();

    /** One line for {@code tokenreduce inspect} and docs. */
    String description();

    /** Builds the operator; must read all supported parameters from {@code params}. */
    TokenOperator create(Params params);
}
