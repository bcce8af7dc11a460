package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.ImageSize;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ade20kReaderTest {

    @TempDir
    Path root;

    @Test
    void readsPairsInNameOrder() {
        Path base = root.resolve("ADEChallengeData2016");
        TestFiles.image(base.resolve("images/validation/ADE_val_00000002.jpg"), 6, 4, 20);
        TestFiles.label(base.resolve("annotations/validation/ADE_val_00000002.png"), 6, 4, 0, 1, 150);
        TestFiles.image(base.resolve("images/validation/ADE_val_00000001.jpg"), 5, 3, 10);
        TestFiles.label(base.resolve("annotations/validation/ADE_val_00000001.png"), 5, 3, 7);
        TestFiles.image(base.resolve("images/training/ADE_train_00000001.jpg"), 5, 3, 10);
        TestFiles.label(base.resolve("annotations/training/ADE_train_00000001.png"), 5, 3, 7);

        SegmentationDataset ds = (SegmentationDataset) Datasets.open("ade20k:" + root, "val");
        assertThat(ds.type()).isEqualTo("ade20k");
        assertThat(ds.split()).isEqualTo("validation");
        assertThat(ds.root()).isEqualTo(base);
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.name(0)).isEqualTo("ADE_val_00000001");
        assertThat(ds.numClasses()).isEqualTo(150);
        assertThat(ds.reduceZeroLabel()).isTrue();
        assertThat(ds.ignoreIndex()).isEqualTo(255);
        assertThat(ds.classNames()).hasSize(150).startsWith("wall", "building").endsWith("flag");
        assertThat(ds.task()).isEqualTo(Task.SEGMENTATION);

        SegmentationSample s = ds.sample(1);
        assertThat(s.name()).isEqualTo("ADE_val_00000002");
        assertThat(s.image().size()).isEqualTo(new ImageSize(6, 4));
        assertThat(s.label().data()).startsWith(0, 1, 150, 0);
        assertThat(s.image().get(0, 0, 0)).isCloseTo(20, org.assertj.core.data.Offset.offset(3));

        assertThat(Ade20kReader.open(base, "training").size()).isEqualTo(1);
        assertThatThrownBy(() -> ds.sample(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void unpairedFilesAreListedInOneError() {
        TestFiles.image(root.resolve("images/validation/a.jpg"), 4, 4, 1);
        TestFiles.image(root.resolve("images/validation/b.jpg"), 4, 4, 1);
        TestFiles.image(root.resolve("images/validation/c.jpg"), 4, 4, 1);
        TestFiles.label(root.resolve("annotations/validation/a.png"), 4, 4, 1);
        TestFiles.label(root.resolve("annotations/validation/d.png"), 4, 4, 1);
        assertThatThrownBy(() -> Ade20kReader.open(root, "validation")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("image without label: images/validation/b.jpg (expected "
                        + "annotations/validation/b.png)")
                .hasMessageContaining("image without label: images/validation/c.jpg")
                .hasMessageContaining("label without image: annotations/validation/d.png");
    }

    @Test
    void longProblemListsAreCut() {
        for (int i = 0; i < 25; i++) {
            TestFiles.label(root.resolve("annotations/validation/x" + i + ".png"), 2, 2, 1);
        }
        TestFiles.image(root.resolve("images/validation/x0.jpg"), 2, 2, 1);
        assertThatThrownBy(() -> Ade20kReader.open(root, "validation")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("24 problems").hasMessageContaining("... and 4 more")
                .satisfies(e -> assertThat(e.getMessage().lines().filter(l -> l.contains("label without image")))
                        .hasSize(20));
    }

    @Test
    void missingFoldersSplitsAndSizeMismatch() {
        assertThatThrownBy(() -> Ade20kReader.open(root, "validation")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("ADE20K images folder not found");
        TestFiles.image(root.resolve("images/validation/a.jpg"), 4, 4, 1);
        assertThatThrownBy(() -> Ade20kReader.open(root, "validation")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("label folder not found");
        assertThatThrownBy(() -> Ade20kReader.open(root, "test")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown split 'test'");
        TestFiles.label(root.resolve("annotations/validation/a.png"), 5, 4, 1);
        SegmentationDataset ds = Ade20kReader.open(root, "validation");
        assertThatThrownBy(() -> ds.sample(0)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("is 4x4 but label").hasMessageContaining("is 5x4");
    }
}
