package dev.tokenreduce.core;

/** Input tensors or budgets that an operator cannot work with: wrong shapes, NaN, impossible budgets. */
public class InvalidInputException extends TokenReduceException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
