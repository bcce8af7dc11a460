package dev.tokenreduce.benchmarks;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.tokenreduce.eval.flops.VitShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The same ViT as a TorchScript module run by DJL's libtorch: {@link #trace} calls
 * {@code scripts/vit_torchscript.py} (plain PyTorch, needs {@code python3} with {@code torch}) to compile the model
 * directory's weights into {@code model.pt} ({@code torch.jit.script} by default, {@code torch.jit.trace} on
 * request; both give a TorchScript graph of the same ops); {@link #load} opens it as a DJL {@link Model}.
 */
final class TorchScriptVit implements AutoCloseable {

    static final String SCRIPT = "vit_torchscript.py";

    private final Model model;
    private final Block block;

    private TorchScriptVit(Model model) {
        this.model = model;
        this.block = model.getBlock();
    }

    /** Opens {@code dir/model.pt} on the CPU. */
    static TorchScriptVit load(Path dir) throws IOException, MalformedModelException {
        Model m = Model.newInstance("vit-trace", Device.cpu(), "PyTorch");
        m.load(dir, "model");
        return new TorchScriptVit(m);
    }

    /** Final normed tokens (B, N, C), attached to {@code scope}. */
    NDArray forward(NDArray pixels, NDManager scope) {
        NDList out = block.forward(new ParameterStore(scope, false), new NDList(pixels), false);
        out.attach(scope);
        return out.singletonOrThrow();
    }

    @Override
    public void close() {
        model.close();
    }

    /** What the Python helper printed: the eager timing line, if asked for. */
    record TraceRun(List<String> output, String eagerLine) {}

    /**
     * Compiles {@code dir}'s weights into {@code dir/model.pt} with PyTorch ({@code jit} = "script" or "trace")
     * (and times eager PyTorch when
     * {@code eagerRuns > 0}).
     *
     * @throws IOException when Python or torch is missing or the script fails (its output is in the message)
     */
    static TraceRun trace(String python, Path dir, Geometry g, double eps, int threads, int eagerRuns, String jit)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("tokenreduce-", "-" + SCRIPT);
        try (InputStream in = TorchScriptVit.class.getResourceAsStream("scripts/" + SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not packaged with the benchmarks");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        VitShape s = g.shape();
        List<String> cmd = List.of(python, script.toString(), "--model", dir.toString(), "--image",
                Integer.toString(g.image()), "--embed-dim", Integer.toString(s.embedDim()), "--depth",
                Integer.toString(s.depth()), "--heads", Integer.toString(s.heads()), "--mlp",
                Integer.toString(s.mlpHidden()), "--patch", Integer.toString(s.patchSize()), "--eps",
                Double.toString(eps), "--threads", Integer.toString(threads), "--eager-runs",
                Integer.toString(eagerRuns), "--jit", jit);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        String eager = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
                if (line.startsWith("eager_median_ms=")) {
                    eager = line;
                }
            }
        }
        int rc = p.waitFor();
        Files.deleteIfExists(script);
        if (rc != 0) {
            throw new IOException("tracing with " + python + " failed (exit " + rc + "): " + String.join("\n", lines));
        }
        return new TraceRun(lines, eager);
    }
}
