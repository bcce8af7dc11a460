package dev.tokenreduce.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce}: the top command. Run {@link #main} from the shaded jar, or {@link #execute} in-process
 * (tests, embedding applications).
 */
@Command(name = "tokenreduce", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Visual token reduction for Vision Transformers and vision-language models, without retraining.",
        subcommands = {BenchCommand.class, ApplyCommand.class, FeaturesCommand.class, InspectCommand.class,
                GenerateCommand.class, VisualizeCommand.class, CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true)
public final class TokenReduceCommand implements Callable<Integer> {

    /** Bad usage or input. */
    public static final int EXIT_USAGE = 2;
    /** Unexpected internal error. */
    public static final int EXIT_INTERNAL = 1;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors (otherwise only the message).")
    boolean debug;

    @Spec
    CommandSpec spec;

    /** No subcommand: show the usage and fail as bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** A configured command line: exit codes, error handling and output streams. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new TokenReduceCommand());
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        return cl;
    }

    /** Runs the command with {@code out} and {@code err} as its streams and returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs the command on the process's stdout and stderr and returns the exit code. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    public static void main(String[] args) {
        // Charts and images are drawn off-screen; never try to open a display.
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }
}
