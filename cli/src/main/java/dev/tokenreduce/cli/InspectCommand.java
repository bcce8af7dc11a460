package dev.tokenreduce.cli;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.eval.flops.FlopsBreakdown;
import dev.tokenreduce.eval.flops.VitFlops;
import dev.tokenreduce.eval.flops.VitShape;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.head.HeadKind;
import dev.tokenreduce.vit.head.SegmentationHeads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce inspect --model DIR}: the model's layout and sizes, the hook points a policy can use, the
 * analytic FLOPs at its native resolution, and the operators available.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a model's layout, sizes, hook points and FLOPs, and the operators "
        + "available for policies.")
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory "
            + "(config.json + safetensors weights; timm or HuggingFace layout).")
    Path model;

    @Option(names = "--image-size", paramLabel = "HxW", description = "Image size for the FLOPs figure "
            + "(default: the model's native size).")
    String imageSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        VitConfig c = ModelDirectory.open(model).config();
        PrintWriter out = spec.commandLine().getOut();
        GridSize image = imageSize == null ? new GridSize(c.imageHeight(), c.imageWidth()) : GridSize.parse(imageSize);
        if (image.height() % c.patchSize() != 0 || image.width() % c.patchSize() != 0) {
            throw new dev.tokenreduce.core.InvalidInputException("--image-size " + image + " is not a multiple of the"
                    + " patch size " + c.patchSize());
        }
        GridSize grid = new GridSize(image.height() / c.patchSize(), image.width() / c.patchSize());
        out.println("model:        " + model);
        out.println("source:       " + c.source() + " (" + c.weightFormat() + " weights)");
        out.println("family:       " + c.family());
        out.println("image:        " + c.imageHeight() + "x" + c.imageWidth() + " native, " + c.channels()
                + " channels, mean " + c.imageMean() + ", std " + c.imageStd());
        out.println("patch:        " + c.patchSize() + " -> grid " + c.positionGrid() + " native");
        out.println("width:        " + c.embedDim() + " (" + c.numHeads() + " heads of " + c.headDim() + "), MLP "
                + c.mlpHidden() + " " + c.activation());
        out.println("blocks:       " + c.depth());
        out.println("prefix:       " + c.prefixTokens() + " (" + (c.classToken() ? "CLS" : "no CLS")
                + (c.distillationToken() ? " + distillation" : "") + (c.registerTokens() > 0 ? " + "
                        + c.registerTokens() + " registers" : "") + ")");
        out.println("norms:        eps " + c.layerNormEps() + (c.preNorm() ? ", pre-norm" : "")
                + (c.layerScale() ? ", layer scale" : "") + (c.finalNorm() ? ", final norm" : ", no final norm"));
        out.println("tokens:       " + (c.prefixTokens() + grid.cells()) + " at " + image + " (" + c.prefixTokens()
                + " prefix + " + grid + " patches)");
        HeadKind head = SegmentationHeads.detect(model);
        out.println("head:         " + (head == null ? "none (encoder only)" : head.label()));
        out.println("hook points:  {block: 0} .. {block: " + c.depth() + "} (after N blocks; 0 = after the"
                + " embeddings), blocks (inside every block), output (after the final norm)");
        VitShape shape = VitShape.builder().setEmbedDim(c.embedDim()).setDepth(c.depth()).setHeads(c.numHeads())
                .setMlpHidden(c.mlpHidden()).setPatchSize(c.patchSize()).optInChannels(c.channels())
                .optPrefixTokens(c.prefixTokens()).setGrid(grid).optQkvBias(c.qkvBias()).optPreNorm(c.preNorm())
                .build();
        FlopsBreakdown flops = VitFlops.baseline(shape);
        out.println(String.format(Locale.ROOT, "FLOPs:        %.4f GFLOPs per image at %s (%.4f GMACs in matrix"
                + " products; token schedule %s)", flops.gflops(), image, flops.total().macs() / 1e9,
                flops.schedule().compact()));
        out.println("operators:");
        for (OperatorFactory f : OperatorRegistry.defaults().factories().values()) {
            out.println("  " + f.id() + ": " + f.description());
        }
        return 0;
    }
}
