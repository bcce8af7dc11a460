package dev.tokenreduce.core;

/** Base of every error the library raises on purpose: bad input, bad weights, bad policies. */
public class TokenReduceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenReduceException(String message) {
        super(message);
    }

    public TokenReduceException(String message, Throwable cause) {
        super(message, cause);
    }
}
