package dev.tokenreduce.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.cli.apply.ApplyAdapters;
import dev.tokenreduce.cli.apply.NamedTensors;
import dev.tokenreduce.cli.apply.OperatorAdapter;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce apply OP --input IN.safetensors --output OUT.safetensors [--param key=value]…}: one operator
 * on named tensors, for debugging and for checking against other implementations.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run one operator on named tensors from a safetensors file.",
    "expedit-cluster: in tokens (B,N,C); params grid=HxW clusters=hxw iterations window temperature;"
            + " out clustered (B,M,C), hard_labels (B,N) int64.",
    "expedit-reconstruct: in tokens, clustered, to_reconstruct (B,M,C'); params k temperature [norm];"
            + " out reconstructed (B,N,C').",
    "todre-diversity: in visual_tokens (n,d), cls_attention (n); params keep mode [pivot seed];"
            + " out kept_indices (sorted int64), selection_order (int64).",
    "tome: in metric (B,N,c), x (B,N,C); params r class-token; out merged, size.",
    "Any other registered operator: in tokens (B,L,C); params prefix suffix grid at + the operator's own;"
            + " out tokens [kept_indices sizes restored]."})
final class ApplyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OP", description = "Operator id (e.g. expedit-cluster, tome).")
    String op;

    @Option(names = "--input", required = true, paramLabel = "IN.safetensors", description = "Input tensors.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "Where to write.")
    Path output;

    @Option(names = {"--param", "-p"}, paramLabel = "key=value", description = "Operator parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // unknown op and malformed params fail before any file is touched
        OperatorAdapter adapter = ApplyAdapters.defaults().find(op);
        Params p = Params.fromKeyValues(params, "apply " + op);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("producer", "tokenreduce apply");
        metadata.put("op", op);
        metadata.put("params", String.join(" ", params));
        PrintWriter out = spec.commandLine().getOut();
        try (SafetensorsFile in = SafetensorsFile.open(input); NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> result = adapter.run(new NamedTensors(in, manager, op), p, manager);
            SafetensorsWriter.write(output, result, metadata);
            out.println("wrote " + output + ":");
            for (Map.Entry<String, NDArray> e : result.entrySet()) {
                out.println("  " + e.getKey() + " " + e.getValue().getShape() + " " + e.getValue().getDataType());
            }
        }
        return 0;
    }
}
