package dev.tokenreduce.datasets.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneGeneratorTest {

    private static final SceneGenerator GEN = SceneGenerator.builder().optSeed(1234).optSize(96).build();

    @Test
    void sameSeedAndIndexGiveIdenticalBytesInAnyOrder() {
        SyntheticScene a = GEN.generate(5);
        SceneGenerator again = SceneGenerator.builder().optSeed(1234).optSize(96).build();
        again.generate(9);
        again.generate(0);
        SyntheticScene b = again.generate(5);
        assertThat(b.image().data()).isEqualTo(a.image().data());
        assertThat(b.label().data()).isEqualTo(a.label().data());
        assertThat(b.depth().data()).isEqualTo(a.depth().data());
        assertThat(b.instances().data()).isEqualTo(a.instances().data());
        assertThat(b.shapes()).isEqualTo(a.shapes());
    }

    @Test
    void differentSeedsAndIndicesDiffer() {
        SyntheticScene a = GEN.generate(0);
        SyntheticScene otherSeed = SceneGenerator.builder().optSeed(1235).optSize(96).build().generate(0);
        SyntheticScene otherIndex = GEN.generate(1);
        assertThat(otherSeed.image().data()).isNotEqualTo(a.image().data());
        assertThat(otherSeed.label().data()).isNotEqualTo(a.label().data());
        assertThat(otherIndex.image().data()).isNotEqualTo(a.image().data());
    }

    @Test
    void allClassesAppearAcrossAFewScenes() {
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            for (int v : GEN.generate(i).label().data()) {
                seen.add(v);
            }
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(GEN.numClasses()).isEqualTo(6);
        assertThat(GEN.classNames()).containsExactly("background", "circle", "rectangle", "triangle", "ellipse",
                "blob");
    }

    @Test
    void depthAndLabelsFollowTheOcclusionOrder() {
        for (int i = 0; i < 6; i++) {
            SyntheticScene scene = GEN.generate(i);
            List<PlacedShape> shapes = scene.shapes();
            int size = scene.image().width();
            assertThat(shapes.size()).isBetween(1, 6);
            float backgroundMin = Float.MAX_VALUE;
            int[] visible = new int[shapes.size()];
            for (int p = 0; p < size * size; p++) {
                // Z-buffer from the amodal masks: the nearest covering shape must be the visible one.
                int nearest = -1;
                for (PlacedShape s : shapes) {
                    if (s.coverage().get(p) && (nearest < 0 || s.depth() < shapes.get(nearest).depth())) {
                        nearest = s.order();
                    }
                }
                int instance = scene.instances().data()[p];
                float depth = scene.depth().data()[p];
                if (nearest < 0) {
                    assertThat(instance).isZero();
                    assertThat(scene.label().data()[p]).isZero();
                    backgroundMin = Math.min(backgroundMin, depth);
                } else {
                    assertThat(instance).as("scene %d pixel %d", i, p).isEqualTo(nearest + 1);
                    assertThat(depth).isEqualTo(shapes.get(nearest).depth());
                    assertThat(scene.label().data()[p]).isEqualTo(shapes.get(nearest).shapeClass().label());
                    visible[nearest]++;
                }
            }
            for (PlacedShape s : shapes) {
                if (s.order() > 0) {
                    assertThat(s.depth()).isLessThan(shapes.get(s.order() - 1).depth());
                }
                assertThat(s.depth()).isLessThan(backgroundMin);
                assertThat(s.coverage().cardinality()).isEqualTo(s.area());
                assertThat(visible[s.order()]).isEqualTo(s.visibleArea());
                assertThat((double) s.visibleArea()).isGreaterThanOrEqualTo(0.4 * s.area());
            }
        }
    }

    @Test
    void coverageIsDefensivelyCopied() {
        PlacedShape s = GEN.generate(0).shapes().get(0);
        BitSet c = s.coverage();
        c.clear();
        assertThat(s.coverage().cardinality()).isEqualTo(s.area());
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> SceneGenerator.builder().optSize(8).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("32..4096");
        assertThatThrownBy(() -> SceneGenerator.builder().optShapes(4, 2).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> GEN.generate(-1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void splitWriterRoundTripsExactly(@TempDir Path root) throws Exception {
        SyntheticSplitWriter.write(GEN, root, "validation", 2, 3, "png");
        for (long i = 2; i < 5; i++) {
            SyntheticScene scene = GEN.generate(i);
            Path image = root.resolve("images/validation/" + scene.name() + ".png");
            assertThat(ImageFiles.readRgb(image)).isEqualTo(scene.image());
            assertThat(ImageFiles.readLabel(root.resolve("annotations/validation/" + scene.name() + ".png")))
                    .isEqualTo(scene.label());
            assertThat(ImageFiles.readDepthMillimetres(root.resolve("depth/validation/" + scene.name() + ".png"))
                    .data()).isEqualTo(scene.depth().data());
        }
        String meta = Files.readString(root.resolve(SyntheticSplitWriter.METADATA_FILE));
        assertThat(meta).contains("classes=background,circle,rectangle,triangle,ellipse,blob", "seed=1234",
                "split.validation.count=3", "split.validation.first=2");
        try (var files = Files.list(root.resolve("images/validation"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "synthetic_000002.png", "synthetic_000003.png", "synthetic_000004.png");
        }
        assertThatThrownBy(() -> SyntheticSplitWriter.write(GEN, root, "val", 0, 1, "bmp"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("png or jpg");
    }
}
