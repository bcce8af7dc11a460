package dev.tokenreduce.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: reads a fixture checkpoint into memory and writes modified model directories. */
final class ModelDirs {

    private ModelDirs() {}

    /** All tensors of {@code file}, in header order, owned by {@code manager}. */
    static Map<String, NDArray> read(Path file, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, f.load(name, manager));
            }
        }
        return out;
    }

    /** Writes {@code config} (JSON text) and {@code tensors} as a one-file model directory. */
    static Path write(Path dir, String config, Map<String, NDArray> tensors) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    static String readConfig(Path modelDir) {
        try {
            return Files.readString(modelDir.resolve("config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
