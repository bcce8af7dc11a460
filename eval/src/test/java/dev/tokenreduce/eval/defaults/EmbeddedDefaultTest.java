package dev.tokenreduce.eval.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.datasets.readers.SegmentationSample;
import dev.tokenreduce.datasets.readers.SyntheticReader;
import dev.tokenreduce.eval.metrics.ConfusionMatrix;
import dev.tokenreduce.vit.head.SegmentationModel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed default model and data: extraction, index completeness, and the model's baseline quality. */
class EmbeddedDefaultTest {

    @Test
    void extractionIsIdempotentAndComplete(@TempDir Path cache) throws IOException {
        Path first = EmbeddedDefault.extract(cache);
        long modified = Files.getLastModifiedTime(first.resolve("model/model.safetensors")).toMillis();
        Path second = EmbeddedDefault.extract(cache);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.resolve("model/model.safetensors")).toMillis())
                .isEqualTo(modified);
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries.count()).as("no staging folders left behind").isEqualTo(1);
        }
        for (String name : EmbeddedDefault.files()) {
            assertThat(first.resolve(name)).isRegularFile();
        }
        assertThat(EmbeddedDefault.modelDir().resolve("config.json")).isRegularFile();
        assertThat(EmbeddedDefault.dataDir().resolve("images/validation")).isDirectory();
        assertThat(EmbeddedDefault.modelDir()).isEqualTo(EmbeddedDefault.modelDir());
    }

    @Test
    void indexListsEveryResourceFile() throws IOException, URISyntaxException {
        Path root = Path.of(EmbeddedDefault.class.getClassLoader().getResource(EmbeddedDefault.INDEX).toURI())
                .getParent();
        List<String> present;
        try (Stream<Path> walk = Files.walk(root)) {
            present = walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.equals("files.txt")).sorted().collect(Collectors.toList());
        }
        List<String> listed = new ArrayList<>(EmbeddedDefault.files());
        listed.sort(null);
        assertThat(listed).isEqualTo(present);
    }

    @Test
    void defaultModelSegmentsBundledScenes() {
        SegmentationDataset data = SyntheticReader.open(EmbeddedDefault.dataDir(), EmbeddedDefault.SPLIT);
        assertThat(data.size()).isEqualTo(48);
        ConfusionMatrix cm = ConfusionMatrix.of(data.numClasses());
        try (SegmentationModel model = SegmentationModel.load(EmbeddedDefault.modelDir());
                NDManager scope = NDManager.newBaseManager()) {
            assertThat(model.numClasses()).isEqualTo(data.numClasses());
            List<SegmentationSample> samples = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                samples.add(data.sample(i));
            }
            NDArray pixels = Normalization.HALF.toNDArray(scope,
                    samples.stream().map(SegmentationSample::image).collect(Collectors.toList()));
            NDArray pred = model.predict(pixels, Policy.none(), scope).predictions();
            for (int i = 0; i < samples.size(); i++) {
                try (NDArray p = pred.get(i)) {
                    cm.add(p.toType(DataType.INT32, false).toIntArray(), samples.get(i).label());
                }
            }
        }
        assertThat(cm.images()).isEqualTo(4);
        assertThat(cm.pixelAccuracy()).isGreaterThan(0.85);
        assertThat(cm.meanIoU()).isGreaterThanOrEqualTo(0.6);
    }
}
