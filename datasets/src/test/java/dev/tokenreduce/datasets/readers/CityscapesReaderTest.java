package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesReaderTest {

    @TempDir
    Path root;

    private void frame(String split, String city, String stem, boolean withTrainIds) {
        TestFiles.image(root.resolve("leftImg8bit/" + split + "/" + city + "/" + stem + "_leftImg8bit.png"), 8, 4, 3);
        TestFiles.label(root.resolve("gtFine/" + split + "/" + city + "/" + stem + "_gtFine_labelIds.png"), 8, 4, 26);
        if (withTrainIds) {
            TestFiles.label(root.resolve("gtFine/" + split + "/" + city + "/" + stem + "_gtFine_labelTrainIds.png"),
                    8, 4, 13, 255, 0);
        }
    }

    @Test
    void readsCitiesWithTrainIds() {
        frame("val", "munster", "munster_000000_000019", true);
        frame("val", "frankfurt", "frankfurt_000000_000294", true);
        frame("val", "frankfurt", "frankfurt_000000_000576", true);
        SegmentationDataset ds = Datasets.openSegmentation("cityscapes:" + root, "validation");
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.split()).isEqualTo("val");
        assertThat(ds.name(0)).isEqualTo("frankfurt/frankfurt_000000_000294");
        assertThat(ds.name(2)).isEqualTo("munster/munster_000000_000019");
        assertThat(ds.numClasses()).isEqualTo(19);
        assertThat(ds.reduceZeroLabel()).isFalse();
        assertThat(ds.classNames()).startsWith("road", "sidewalk").endsWith("bicycle");
        SegmentationSample s = ds.sample(0);
        assertThat(s.label().data()).startsWith(13, 255, 0);
        assertThat(s.image().width()).isEqualTo(8);
    }

    @Test
    void missingTrainIdsAreListedWithAHint() {
        frame("val", "lindau", "lindau_000000_000019", false);
        frame("val", "lindau", "lindau_000001_000019", false);
        assertThatThrownBy(() -> CityscapesReader.open(root, "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("image without label: leftImg8bit/val/lindau/lindau_000000_000019_leftImg8bit"
                        + ".png (expected gtFine/val/lindau/lindau_000000_000019_gtFine_labelTrainIds.png)")
                .hasMessageContaining("createTrainIdLabelImgs");
    }

    @Test
    void labelsWithoutImagesAreListed() {
        frame("val", "lindau", "lindau_000000_000019", true);
        TestFiles.label(root.resolve("gtFine/val/lindau/lindau_000009_000019_gtFine_labelTrainIds.png"), 8, 4, 1);
        assertThatThrownBy(() -> CityscapesReader.open(root, "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("1 problem")
                .hasMessageContaining("label without image: gtFine/val/lindau/lindau_000009_000019_gtFine_"
                        + "labelTrainIds.png");
    }
}
