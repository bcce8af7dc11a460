package dev.tokenreduce.core.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds the weights of a checkpoint given a file or a model directory. */
final class CheckpointLocator {

    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";
    private static final String INDEX_SUFFIX = ".safetensors.index.json";

    /**
     * Where the weights are.
     *
     * @param file a single safetensors file, or null
     * @param index a shard index, or null
     */
    record Location(Path file, Path index) {}

    private CheckpointLocator() {}

    static Location locate(Path fileOrDirectory) {
        if (Files.isRegularFile(fileOrDirectory)) {
            boolean isIndex = fileOrDirectory.getFileName().toString().endsWith(".json");
            return isIndex ? new Location(null, fileOrDirectory) : new Location(fileOrDirectory, null);
        }
        if (!Files.isDirectory(fileOrDirectory)) {
            throw new SafetensorsException(fileOrDirectory, "no such file or directory");
        }
        Path single = fileOrDirectory.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return new Location(single, null);
        }
        Path index = fileOrDirectory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return new Location(null, index);
        }
        List<Path> indexes = list(fileOrDirectory, INDEX_SUFFIX);
        if (indexes.size() == 1) {
            return new Location(null, indexes.get(0));
        }
        List<Path> files = list(fileOrDirectory, ".safetensors");
        if (indexes.isEmpty() && files.size() == 1) {
            return new Location(files.get(0), null);
        }
        String found = Stream.concat(indexes.stream(), files.stream())
                .map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        throw new SafetensorsException(fileOrDirectory, "cannot tell which weights to read: expected "
                + SINGLE_FILE + ", " + INDEX_FILE + " or exactly one *.safetensors file, found "
                + (found.isEmpty() ? "none" : found));
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new SafetensorsException(dir, "cannot list directory: " + e, e);
        }
    }
}
