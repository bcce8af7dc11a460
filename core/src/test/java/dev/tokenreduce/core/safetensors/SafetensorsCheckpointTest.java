package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-file and sharded checkpoints. */
class SafetensorsCheckpointTest {

    @TempDir
    Path dir;

    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    private void index(String json) throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"), json);
    }

    private void twoShards() throws IOException {
        SafetensorsWriter.writeData(dir.resolve(SHARD1), Map.of(
                "a.weight", TensorData.ofFloats(new float[] {1, 2, 3, 4}, 2, 2),
                "a.bias", TensorData.ofFloats(new float[] {0.5f, -0.5f}, 2)), Map.of());
        SafetensorsWriter.writeData(dir.resolve(SHARD2), Map.of(
                "b.ids", TensorData.ofLongs(new long[] {4, 5, 6}, 3)), Map.of());
        index("{\"metadata\":{\"total_size\":48,\"format\":\"pt\"},\"weight_map\":{"
                + "\"a.weight\":\"" + SHARD1 + "\",\"a.bias\":\"" + SHARD1 + "\",\"b.ids\":\"" + SHARD2 + "\"}}");
    }

    @Test
    void readsAShardedCheckpointFromItsDirectoryOrIndex() throws IOException {
        twoShards();
        for (Path where : new Path[] {dir, dir.resolve("model.safetensors.index.json")}) {
            try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(where);
                    NDManager manager = NDManager.newBaseManager()) {
                assertThat(c.isSharded()).isTrue();
                assertThat(c.names()).containsExactly("a.weight", "a.bias", "b.ids");
                assertThat(c.metadata()).containsEntry("total_size", "48").containsEntry("format", "pt");
                assertThat(c.files()).hasSize(2);
                assertThat(c.contains("b.ids")).isTrue();
                assertThat(c.info("a.weight").shape()).containsExactly(2, 2);
                assertThat(c.readFloats("a.bias")).containsExactly(0.5f, -0.5f);
                assertThat(c.readLongs("b.ids")).containsExactly(4, 5, 6);
                NDArray w = c.load("a.weight", manager);
                assertThat(w.toFloatArray()).containsExactly(1, 2, 3, 4);
                assertThat(c.fileFor("b.ids").path().getFileName().toString()).isEqualTo(SHARD2);
                assertThatThrownBy(() -> c.info("c")).isInstanceOf(SafetensorsException.class)
                        .hasMessageContaining("'c'");
            }
        }
    }

    @Test
    void shardsAreOpenedLazily() throws IOException {
        twoShards();
        // Corrupt the second shard: the checkpoint opens and serves shard 1; shard 2 fails only when used.
        Files.write(dir.resolve(SHARD2), new byte[] {1, 2, 3});
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.readFloats("a.bias")).containsExactly(0.5f, -0.5f);
            assertThatThrownBy(() -> c.readLongs("b.ids")).isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(SHARD2).hasMessageContaining("8-byte");
        }
    }

    @Test
    void missingShardsAreListed() throws IOException {
        twoShards();
        index("{\"weight_map\":{\"a.weight\":\"" + SHARD1 + "\",\"x\":\"model-00003.safetensors\","
                + "\"y\":\"model-00004.safetensors\",\"z\":\"model-00003.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("model.safetensors.index.json")
                .hasMessageContaining("2 missing shard file(s)")
                .hasMessageContaining("model-00003.safetensors, model-00004.safetensors");
    }

    @Test
    void indexEntriesMustStayInTheCheckpointDirectory() throws IOException {
        twoShards();
        index("{\"weight_map\":{\"a.weight\":\"../" + dir.getFileName() + "/" + SHARD1 + "\","
                + "\"b\":\"../../etc/passwd\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("'b'").hasMessageContaining("outside the checkpoint directory");
    }

    @Test
    void indexWithoutAWeightMapOrWithBadJsonIsRejected() throws IOException {
        index("{\"metadata\":{}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("weight_map");
        index("{\"weight_map\":");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("not well-formed JSON");
        index("{\"weight_map\":{\"a\":3}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("'a'").hasMessageContaining("file name");
    }

    @Test
    void indexThatMapsATensorToTheWrongShardIsReportedOnUse() throws IOException {
        twoShards();
        index("{\"weight_map\":{\"a.weight\":\"" + SHARD2 + "\"}}");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThatThrownBy(() -> c.readFloats("a.weight")).isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(SHARD2).hasMessageContaining("'a.weight'")
                    .hasMessageContaining("no such tensor");
        }
    }

    @Test
    void findsTheSingleFileOfADirectory() throws IOException {
        SafetensorsWriter.writeFloats(dir.resolve("weights.safetensors"), "w", new float[] {9}, 1);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.isSharded()).isFalse();
            assertThat(c.readFloats("w")).containsExactly(9);
        }
        SafetensorsWriter.writeFloats(dir.resolve("other.safetensors"), "v", new float[] {8}, 1);
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("other.safetensors, weights.safetensors");
        // model.safetensors wins over other files.
        SafetensorsWriter.writeFloats(dir.resolve("model.safetensors"), "m", new float[] {7}, 1);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.names()).containsExactly("m");
        }
    }

    @Test
    void emptyOrMissingLocationsAreRejected() {
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("found none");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir.resolve("nope")))
                .isInstanceOf(SafetensorsException.class).hasMessageContaining("no such file or directory");
    }

    @Test
    void closeClosesEveryShard() throws IOException {
        twoShards();
        SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir);
        SafetensorsFile first = c.fileFor("a.weight");
        SafetensorsFile second = c.fileFor("b.ids");
        c.close();
        assertThatThrownBy(() -> first.readFloats("a.bias")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> second.readLongs("b.ids")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.readFloats("a.bias")).isInstanceOf(IllegalStateException.class);
    }
}
