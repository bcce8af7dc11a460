package dev.tokenreduce.core.policy;

import dev.tokenreduce.core.TokenReduceException;

/** A policy that cannot be loaded or run as written; the message names the file, the step and the field. */
public class PolicyException extends TokenReduceException {

    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
