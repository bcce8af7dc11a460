package dev.tokenreduce.datasets;

import dev.tokenreduce.core.TokenReduceException;

/**
 * A dataset or image file that cannot be used: missing or unreadable files, unpaired images and labels, unknown
 * dataset types, label or depth files in an unexpected format. The message names the file(s) and the problem.
 */
public class DatasetException extends TokenReduceException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
