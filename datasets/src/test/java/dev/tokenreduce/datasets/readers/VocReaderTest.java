package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocReaderTest {

    @TempDir
    Path root;

    @Test
    void vocReadsPaletteLabelsThroughTheSplitList() {
        Path voc = root.resolve("VOCdevkit/VOC2012");
        TestFiles.image(voc.resolve("JPEGImages/2007_000033.jpg"), 6, 5, 1);
        TestFiles.image(voc.resolve("JPEGImages/2007_000042.jpg"), 4, 4, 2);
        TestFiles.image(voc.resolve("JPEGImages/2007_000061.jpg"), 4, 4, 3);
        TestFiles.paletteLabel(voc.resolve("SegmentationClass/2007_000033.png"), 6, 5, 0, 15, 255, 1);
        TestFiles.paletteLabel(voc.resolve("SegmentationClass/2007_000042.png"), 4, 4, 20);
        TestFiles.text(voc.resolve("ImageSets/Segmentation/val.txt"), "2007_000033\n2007_000042\n\n");
        TestFiles.text(voc.resolve("ImageSets/Segmentation/train.txt"), "2007_000061\n");

        SegmentationDataset ds = Datasets.openSegmentation("voc:" + root, "validation");
        assertThat(ds.root()).isEqualTo(voc);
        assertThat(ds.split()).isEqualTo("val");
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.name(1)).isEqualTo("2007_000042");
        assertThat(ds.numClasses()).isEqualTo(21);
        assertThat(ds.classNames()).startsWith("background", "aeroplane").endsWith("tvmonitor");
        assertThat(ds.sample(0).label().data()).startsWith(0, 15, 255, 1, 0);
        assertThat(ds.sample(1).label().data()).containsOnly(20);

        assertThatThrownBy(() -> VocReader.openVoc(voc, "train")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("image without label: JPEGImages/2007_000061.jpg (expected "
                        + "SegmentationClass/2007_000061.png)");
        assertThatThrownBy(() -> VocReader.openVoc(voc, "trainval")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("split list not found").hasMessageContaining("trainval.txt");
    }

    @Test
    void missingListedImagesAreReported() {
        Path voc = root.resolve("VOC2012");
        TestFiles.image(voc.resolve("JPEGImages/a.jpg"), 4, 4, 1);
        TestFiles.paletteLabel(voc.resolve("SegmentationClass/a.png"), 4, 4, 1);
        TestFiles.paletteLabel(voc.resolve("SegmentationClass/b.png"), 4, 4, 1);
        TestFiles.text(voc.resolve("ImageSets/Segmentation/val.txt"), "a\nb\nc\n");
        assertThatThrownBy(() -> VocReader.openVoc(root, "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("listed image missing: JPEGImages/b.jpg")
                .hasMessageContaining("listed image missing: JPEGImages/c.jpg (and its label "
                        + "SegmentationClass/c.png)");
    }

    @Test
    void contextWithAndWithoutBackground() {
        Path ctx = root.resolve("VOC2010");
        TestFiles.image(ctx.resolve("JPEGImages/2008_000002.jpg"), 5, 4, 1);
        TestFiles.label(ctx.resolve("SegmentationClassContext/2008_000002.png"), 5, 4, 0, 59, 12);
        TestFiles.text(ctx.resolve("ImageSets/SegmentationContext/val.txt"), "2008_000002\n");

        SegmentationDataset with = Datasets.openSegmentation("context:" + ctx, "val");
        assertThat(with.numClasses()).isEqualTo(60);
        assertThat(with.reduceZeroLabel()).isFalse();
        assertThat(with.classNames().get(0)).isEqualTo("background");
        assertThat(with.sample(0).label().data()).startsWith(0, 59, 12);

        SegmentationDataset without = Datasets.openSegmentation("context59:" + root, "val");
        assertThat(without.type()).isEqualTo("context59");
        assertThat(without.numClasses()).isEqualTo(59);
        assertThat(without.reduceZeroLabel()).isTrue();
        assertThat(without.classNames()).hasSize(59).startsWith("aeroplane").endsWith("wood");

        TestFiles.label(ctx.resolve("MyLabels/2008_000002.png"), 5, 4, 3);
        TestFiles.text(ctx.resolve("Lists/val.txt"), "2008_000002\n");
        SegmentationDataset custom = Datasets.openSegmentation("context:" + ctx, "val",
                Map.of("labelDir", "MyLabels", "listDir", "Lists"));
        assertThat(custom.sample(0).label().data()).containsOnly(3);
    }
}
