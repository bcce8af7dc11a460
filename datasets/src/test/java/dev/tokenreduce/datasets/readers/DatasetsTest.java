package dev.tokenreduce.datasets.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path root;

    @Test
    void malformedSpecs() {
        assertThatThrownBy(() -> Datasets.open("/data/ade", "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("has no type").hasMessageContaining("ade20k, cityscapes, voc, context");
        assertThatThrownBy(() -> Datasets.open("coco:/data/coco", "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown dataset type 'coco'").hasMessageContaining("nyu, synthetic");
        assertThatThrownBy(() -> Datasets.open("ade20k:", "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> Datasets.open("", "val")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Datasets.open("ade20k:" + root.resolve("missing"), "val"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("dataset root not found");
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> Datasets.open("ade20k:" + root, "val", Map.of("labelDir", "x")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("takes no options");
        assertThatThrownBy(() -> Datasets.open("voc:" + root, "val", Map.of("labels", "x")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("unknown option 'labels'")
                .hasMessageContaining("labelDir");
        assertThatThrownBy(() -> Datasets.open("generated:count=abc", "val"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Datasets.open("generated:count", "val"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("key=value");
        assertThatThrownBy(() -> Datasets.openDepth("ade20k:" + root, "val"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("not a depth dataset");
    }

    @Test
    void typeNamesAreCaseInsensitive() {
        assertThat(Datasets.open("GENERATED:count=2,size=32", "val").size()).isEqualTo(2);
        assertThat(Datasets.TYPES).contains("ade20k", "cityscapes", "voc", "context", "nyu", "synthetic");
    }
}
