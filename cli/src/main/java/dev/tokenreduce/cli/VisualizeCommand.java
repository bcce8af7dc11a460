package dev.tokenreduce.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code tokenreduce visualize}: kept tokens and clusters over an image. Not in this build yet. */
@Command(name = "visualize", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Kept tokens / cluster maps over the image as PNG "
        + "(not available in this build yet).")
final class VisualizeCommand implements Callable<Integer> {

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        throw NotAvailable.command("visualize", "it needs the benchmark runner's image pipeline");
    }
}
