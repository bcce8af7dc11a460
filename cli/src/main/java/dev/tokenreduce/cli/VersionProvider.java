package dev.tokenreduce.cli;

import dev.tokenreduce.eval.report.Versions;
import java.util.Map;
import picocli.CommandLine.IVersionProvider;

/** {@code tokenreduce --version}: the project version and the engine and runtime versions it was built with. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Map<String, String> v = Versions.detect();
        return new String[] {
            "tokenreduce " + v.get("tokenreduce"),
            "DJL " + v.get("djl") + ", PyTorch " + v.get("pytorch") + " (native CPU build; GPU with a CUDA libtorch)",
            "Java " + v.get("java") + " (" + v.get("java-vendor") + ", " + v.get("java-vm") + ")"
        };
    }
}
