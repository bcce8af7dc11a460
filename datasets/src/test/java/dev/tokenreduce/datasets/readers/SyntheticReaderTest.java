package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.datasets.synthetic.SyntheticScene;
import dev.tokenreduce.datasets.synthetic.SyntheticSplitWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticReaderTest {

    @TempDir
    Path root;

    private final SceneGenerator generator = SceneGenerator.builder().optSeed(3).optSize(64).build();

    @Test
    void writtenSplitReadsBackExactly() {
        SyntheticSplitWriter.write(generator, root, "validation", 3);
        SegmentationDataset ds = Datasets.openSegmentation("synthetic:" + root, "val");
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.numClasses()).isEqualTo(6);
        assertThat(ds.reduceZeroLabel()).isFalse();
        assertThat(ds.classNames()).containsExactlyElementsOf(generator.classNames());
        for (int i = 0; i < 3; i++) {
            SyntheticScene scene = generator.generate(i);
            SegmentationSample s = ds.sample(i);
            assertThat(s.name()).isEqualTo(scene.name());
            assertThat(s.image()).isEqualTo(scene.image());
            assertThat(s.label()).isEqualTo(scene.label());
        }
        DepthDataset depth = Datasets.openDepth("synthetic:" + root, "validation");
        assertThat(depth.sample(2).depth()).isEqualTo(generator.generate(2).depth());
        assertThat(depth.eigenCrop()).isFalse();
    }

    @Test
    void jpegSplitAndAdeReaderOnTheSameLayout() {
        SyntheticSplitWriter.write(generator, root, "validation", 0, 2, "jpg");
        assertThat(Datasets.openSegmentation("synthetic:" + root, "validation").sample(1).label())
                .isEqualTo(generator.generate(1).label());
        // The layout is ADE20K's, so that reader reads it too (with ADE20K's own label convention).
        assertThat(Ade20kReader.open(root, "validation").size()).isEqualTo(2);
    }

    @Test
    void missingAnnotationIsReported() throws Exception {
        SyntheticSplitWriter.write(generator, root, "validation", 2);
        Files.delete(root.resolve("annotations/validation/synthetic_000001.png"));
        assertThatThrownBy(() -> SyntheticReader.open(root, "validation")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("image without label: images/validation/synthetic_000001.png");
    }

    @Test
    void generatedScenesNeedNoFiles() {
        SegmentationDataset ds = Datasets.openSegmentation("generated:count=3,seed=5,size=48", "validation");
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.root()).isNull();
        SceneGenerator same = SceneGenerator.builder().optSeed(5).optSize(48).build();
        assertThat(ds.sample(2).image()).isEqualTo(same.generate(2).image());
        SegmentationDataset train = Datasets.openSegmentation("generated:count=3,seed=5,size=48", "train");
        assertThat(train.sample(0).image()).isNotEqualTo(ds.sample(0).image());
        DepthDataset depth = Datasets.openDepth("generated:", "val");
        assertThat(depth.size()).isEqualTo(32);
        assertThat(depth.sample(0).depth().width()).isEqualTo(128);
    }
}
