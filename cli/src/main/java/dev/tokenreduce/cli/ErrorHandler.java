package dev.tokenreduce.cli;

import dev.tokenreduce.core.TokenReduceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into a message on stderr and an exit code: bad usage and the library's own errors
 * ({@link TokenReduceException}: bad input, policies, weights) and I/O problems with the given files exit 2;
 * anything else is a bug and exits 1. Stack traces only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(prefix(cl) + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        if (Arrays.asList(args).contains("--debug")) {
            ex.printStackTrace(err);
        }
        err.flush();
        return TokenReduceCommand.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        boolean debug = debugRequested(parseResult);
        int code;
        if (isInputError(ex)) {
            err.println(prefix(cl) + message(ex));
            code = TokenReduceCommand.EXIT_USAGE;
        } else {
            err.println(prefix(cl) + "internal error: " + ex
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            code = TokenReduceCommand.EXIT_INTERNAL;
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static boolean isInputError(Throwable ex) {
        return ex instanceof TokenReduceException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof java.nio.file.InvalidPathException;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            m = ex.getMessage() + (ex.getCause().getMessage() != null && !m.contains(ex.getCause().getMessage())
                    ? ": " + ex.getCause().getMessage() : "");
        }
        return m == null ? ex.toString() : m;
    }

    private static String prefix(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName() + ": error: ";
    }

    private static boolean debugRequested(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
