package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NyuDepthReaderTest {

    @TempDir
    Path root;

    @Test
    void officialSplitsLayout() {
        Path test = root.resolve("official_splits/test");
        TestFiles.image(test.resolve("bathroom/rgb_00045.jpg"), 8, 6, 1);
        TestFiles.depthMm(test.resolve("bathroom/sync_depth_00045.png"), 8, 6, 0, 1500, 9999);
        TestFiles.image(test.resolve("bedroom/rgb_00100.jpg"), 8, 6, 2);
        TestFiles.depthMm(test.resolve("bedroom/sync_depth_00100.png"), 8, 6, 2000);

        Dataset opened = Datasets.open("nyu:" + root, "val");
        assertThat(opened.task()).isEqualTo(Task.DEPTH);
        DepthDataset ds = (DepthDataset) opened;
        assertThat(ds.split()).isEqualTo("test");
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.name(0)).isEqualTo("bathroom/00045");
        assertThat(ds.minDepth()).isEqualTo(1e-3);
        assertThat(ds.maxDepth()).isEqualTo(10.0);
        assertThat(ds.eigenCrop()).isTrue();
        DepthSample s = ds.sample(0);
        assertThat(s.depth().data()[0]).isZero();
        assertThat(s.depth().data()[1]).isCloseTo(1.5f, within(1e-6f));
        assertThat(s.depth().data()[2]).isCloseTo(9.999f, within(1e-6f));
        assertThat(ds.sample(1).image().width()).isEqualTo(8);

        DepthDataset scaled = Datasets.openDepth("nyu:" + test.getParent(), "test", Map.of("depthScale", "0.0002"));
        assertThat(scaled.sample(1).depth().data()[0]).isCloseTo(0.4f, within(1e-6f));
    }

    @Test
    void officialSplitsUnpaired() {
        Path test = root.resolve("official_splits/test");
        TestFiles.image(test.resolve("kitchen/rgb_00001.jpg"), 4, 4, 1);
        TestFiles.depthMm(test.resolve("kitchen/sync_depth_00002.png"), 4, 4, 1000);
        assertThatThrownBy(() -> NyuDepthReader.open(root, "test")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("image without depth: official_splits/test/kitchen/rgb_00001.jpg")
                .hasMessageContaining("depth without image: official_splits/test/kitchen/sync_depth_00002.png");
    }

    @Test
    void rgbDepthFolderLayout() {
        TestFiles.image(root.resolve("test/rgb/0001.png"), 4, 3, 1);
        TestFiles.depthMm(root.resolve("test/depth/0001.png"), 4, 3, 3000);
        DepthDataset ds = NyuDepthReader.open(root, "test");
        assertThat(ds.size()).isEqualTo(1);
        assertThat(ds.sample(0).depth().data()).containsOnly(3.0f);

        TestFiles.image(root.resolve("test/rgb/0002.png"), 4, 3, 1);
        assertThatThrownBy(() -> NyuDepthReader.open(root, "test")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("image without depth: test/rgb/0002.png (expected test/depth/0002.png)");
    }

    @Test
    void unknownLayoutAndDepthFormatErrors() {
        TestFiles.text(root.resolve("README"), "nothing here");
        assertThatThrownBy(() -> NyuDepthReader.open(root, "test")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("no supported layout");
        TestFiles.image(root.resolve("test/rgb/0001.png"), 4, 3, 1);
        TestFiles.label(root.resolve("test/depth/0001.png"), 4, 3, 9);
        DepthDataset ds = NyuDepthReader.open(root, "test");
        assertThatThrownBy(() -> ds.sample(0)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("16-bit");
        assertThatThrownBy(() -> Datasets.openSegmentation("nyu:" + root, "test"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("depth dataset");
    }
}
