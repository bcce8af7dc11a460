package dev.tokenreduce.vit.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.ModelFormatException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mask-transformer decoder against PyTorch (golden file written by
 * {@code src/test/scripts/segmenter_golden.py}: plain torch.nn modules, mmseg tensor names, expected values in
 * float64), and its errors for missing, mis-shaped and inconsistent tensors.
 */
class MaskTransformerHeadTest {

    static final double TOL = 1e-5;
    static final GridSize GRID = new GridSize(6, 7);
    static final String INPUT = "input.tokens";
    static final String EXPECTED = "expected.logits";
    static final String EXPECTED_UPSAMPLED = "expected.upsampled";

    static Path golden() {
        URL url = MaskTransformerHeadTest.class.getResource("segmenter_golden.safetensors");
        assertThat(url).as("test resource segmenter_golden.safetensors (see its README.md)").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every tensor of the golden file. */
    static Map<String, NDArray> goldenTensors(NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(golden())) {
            for (String name : f.names()) {
                out.put(name, f.load(name, m));
            }
        }
        return out;
    }

    /** Only the decoder's tensors ({@code decode_head.*}). */
    static Map<String, NDArray> decoderTensors(Map<String, NDArray> all) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(MaskTransformerNames.PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void matchesPyTorch() {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsCheckpoint c = SafetensorsCheckpoint.open(golden())) {
            int heads = Integer.parseInt(c.metadata().get("num_heads"));
            MaskTransformerHead head = MaskTransformerHead.load(c, heads, MaskTransformerHead.DEFAULT_EPS, m);
            assertThat(head.kind()).isEqualTo(HeadKind.MASK_TRANSFORMER);
            assertThat(head.numClasses()).isEqualTo(5);
            assertThat(head.channels()).isEqualTo(32);
            assertThat(head.embedDim()).isEqualTo(24);
            assertThat(head.numLayers()).isEqualTo(2);
            assertThat(head.numHeads()).isEqualTo(3);
            assertThat(head.mlpHidden()).isEqualTo(96);

            NDArray tokens = c.load(INPUT, m);
            NDArray expected = c.load(EXPECTED, m);
            NDArray logits = head.logitMap(tokens, GRID, m);
            double diff = Tolerance.assertClose(logits, expected, TOL, "mask-transformer logits");
            System.out.printf("mask-transformer golden: max|a-b| = %.3g (max|b| = %.3g)%n", diff,
                    expected.abs().max().getFloat());

            NDArray up = BilinearUpsample.apply(logits, 23, 30, m);
            Tolerance.assertClose(up, c.load(EXPECTED_UPSAMPLED, m), TOL, "upsampled mask-transformer logits");
        }
    }

    @Test
    void builderOnInMemoryTensorsMatchesToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> all = goldenTensors(m);
            MaskTransformerHead head = MaskTransformerHead.builder().setTensors(decoderTensors(all)).setNumHeads(3)
                    .build();
            // one image at a time gives the same as the batch (no cross-batch mixing)
            NDArray second = all.get(INPUT).get("1:2");
            NDArray logits = head.logitMap(second, GRID, m);
            Tolerance.assertClose(logits, all.get(EXPECTED).get("1:2"), TOL, "batch element 1");
        }
    }

    @Test
    void missingTensorIsNamedWithItsExpectedShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = decoderTensors(goldenTensors(m));
            String gone = MaskTransformerNames.layer(1, "ffn.layers.1.weight");
            t.remove(gone);
            t.remove(MaskTransformerNames.CLASSES_PROJ);
            assertThatThrownBy(() -> MaskTransformerHead.builder().setTensors(t).setNumHeads(3).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("2 problem(s)")
                    .hasMessageContaining(gone + " missing (expected (24, 96))")
                    .hasMessageContaining(MaskTransformerNames.CLASSES_PROJ + " missing (expected (24, 24))");
            t.remove(MaskTransformerNames.CLS_EMB);
            assertThatThrownBy(() -> MaskTransformerHead.builder().setTensors(t).setNumHeads(3).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(MaskTransformerNames.CLS_EMB).hasMessageContaining("(1, K, D)")
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void misShapedTensorIsReportedAsExpectedVersusFound(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = decoderTensors(goldenTensors(m));
            String bad = MaskTransformerNames.layer(0, "attn.attn.in_proj_weight");
            t.put(bad, m.zeros(new Shape(24, 24)));
            assertThatThrownBy(() -> MaskTransformerHead.builder().setTensors(t).setNumHeads(3).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(bad + " expected (72, 24), found (24, 24)");
            // the same from a checkpoint: a model-format error naming the file
            Path file = dir.resolve("bad.safetensors");
            SafetensorsWriter.write(file, t, null);
            try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file)) {
                assertThatThrownBy(() -> MaskTransformerHead.load(c, 3, MaskTransformerHead.DEFAULT_EPS, m))
                        .isInstanceOf(ModelFormatException.class)
                        .hasMessageContaining("bad.safetensors")
                        .hasMessageContaining(bad + " expected (72, 24), found (24, 24)");
            }
        }
    }

    @Test
    void classCountMismatchAndBadHeadCountAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = decoderTensors(goldenTensors(m));
            t.put(MaskTransformerNames.MASK_NORM_WEIGHT, m.ones(new Shape(4)));
            assertThatThrownBy(() -> MaskTransformerHead.builder().setTensors(t).setNumHeads(3).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("K=5")
                    .hasMessageContaining(MaskTransformerNames.MASK_NORM_WEIGHT + " expected (5), found (4)");

            Map<String, NDArray> ok = decoderTensors(goldenTensors(m));
            assertThatThrownBy(() -> MaskTransformerHead.builder().setTensors(ok).setNumHeads(5).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("num_heads 5 does not divide D = 24");
        }
    }

    @Test
    void tokensMustCoverTheFullGrid() {
        try (NDManager m = NDManager.newBaseManager()) {
            MaskTransformerHead head = MaskTransformerHead.builder()
                    .setTensors(decoderTensors(goldenTensors(m))).setNumHeads(3).build();
            assertThatThrownBy(() -> head.logitMap(m.zeros(new Shape(1, 41, 32)), GRID, m))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("(B, 42, 32)").hasMessageContaining("full grid");
            assertThatThrownBy(() -> head.logitMap(m.zeros(new Shape(1, 42, 31)), GRID, m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(1, 42, 31)");
        }
    }
}
