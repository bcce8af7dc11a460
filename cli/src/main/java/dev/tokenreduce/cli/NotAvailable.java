package dev.tokenreduce.cli;

import dev.tokenreduce.core.TokenReduceException;

/** The error of a command this build does not provide yet (exit 2, never a fake result). */
final class NotAvailable {

    private NotAvailable() {}

    static TokenReduceException command(String name, String what) {
        return new TokenReduceException("'tokenreduce " + name + "' is not available in this build yet (" + what
                + "); see 'tokenreduce --help' for the commands that are");
    }
}
