package dev.tokenreduce.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code tokenreduce generate}: LVLM prefill and greedy decoding. Not in this build yet. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "LVLM prefill and greedy decoding with an optional policy "
        + "(not available in this build yet).")
final class GenerateCommand implements Callable<Integer> {

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        throw NotAvailable.command("generate", "the vision-language model runtime is being built");
    }
}
