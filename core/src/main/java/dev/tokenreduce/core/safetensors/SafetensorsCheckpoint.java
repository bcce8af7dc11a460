package dev.tokenreduce.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The weights of a model: one safetensors file or a sharded checkpoint described by
 * {@code model.safetensors.index.json}. Shards are opened when one of their tensors is first asked for; tensor
 * reads are lazy as in {@link SafetensorsFile}. Thread-safe. {@link #close()} closes every opened shard.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    private final Path location;
    private final Path index;
    private final Map<String, Path> weightMap;
    private final Map<String, String> metadata;
    private final Map<Path, SafetensorsFile> openShards = new LinkedHashMap<>();
    private boolean closed;

    private SafetensorsCheckpoint(Path location, Path index, Map<String, Path> weightMap,
            Map<String, String> metadata) {
        this.location = location;
        this.index = index;
        this.weightMap = weightMap;
        this.metadata = metadata;
    }

    /**
     * Opens a checkpoint. {@code fileOrDirectory} is a safetensors file, an index json, or a directory holding
     * {@code model.safetensors}, {@code model.safetensors.index.json} (or another single {@code *.safetensors.index.json}),
     * or exactly one {@code *.safetensors} file. For a sharded checkpoint every referenced shard must exist.
     *
     * @throws SafetensorsException naming the path and the problem
     */
    public static SafetensorsCheckpoint open(Path fileOrDirectory) {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        CheckpointLocator.Location where = CheckpointLocator.locate(fileOrDirectory);
        if (where.file() != null) {
            SafetensorsFile file = SafetensorsFile.open(where.file());
            Map<String, Path> weightMap = new LinkedHashMap<>();
            file.names().forEach(n -> weightMap.put(n, where.file()));
            SafetensorsCheckpoint checkpoint = new SafetensorsCheckpoint(fileOrDirectory, null,
                    Collections.unmodifiableMap(weightMap), file.metadata());
            checkpoint.openShards.put(where.file(), file);
            return checkpoint;
        }
        ShardIndex shards = ShardIndex.read(where.index());
        return new SafetensorsCheckpoint(fileOrDirectory, where.index(), shards.weightMap(), shards.metadata());
    }

    /** The file or directory this was opened from. */
    public Path path() {
        return location;
    }

    /** True when the weights are split over shards named by an index. */
    public boolean isSharded() {
        return index != null;
    }

    /** The safetensors files of this checkpoint, in order of first use. */
    public List<Path> files() {
        return List.copyOf(new LinkedHashSet<>(weightMap.values()));
    }

    /** Tensor names, in header or index order. */
    public Set<String> names() {
        return weightMap.keySet();
    }

    /** True if the checkpoint lists {@code name}. */
    public boolean contains(String name) {
        return weightMap.containsKey(name);
    }

    /** The file's {@code __metadata__}, or for a sharded checkpoint the index's {@code metadata}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The header entry of {@code name} (offsets relative to its shard's data section). */
    public TensorInfo info(String name) {
        return fileFor(name).info(name);
    }

    /** As {@link SafetensorsFile#load}. */
    public NDArray load(String name, NDManager manager) {
        return fileFor(name).load(name, manager);
    }

    /** As {@link SafetensorsFile#readFloats(String)}. */
    public float[] readFloats(String name) {
        return fileFor(name).readFloats(name);
    }

    /** As {@link SafetensorsFile#readLongs(String)}. */
    public long[] readLongs(String name) {
        return fileFor(name).readLongs(name);
    }

    /** As {@link SafetensorsFile#rawBytes(String)}. */
    public ByteBuffer rawBytes(String name) {
        return fileFor(name).rawBytes(name);
    }

    /**
     * The opened shard that holds {@code name}.
     *
     * @throws SafetensorsException when the checkpoint has no such tensor, or the shard the index names lacks it
     */
    public SafetensorsFile fileFor(String name) {
        Path shard = weightMap.get(name);
        if (shard == null) {
            throw new SafetensorsException(location, "no tensor named '" + name + "' in this checkpoint ("
                    + weightMap.size() + " tensors)");
        }
        SafetensorsFile file = shard(shard);
        if (!file.contains(name)) {
            throw new SafetensorsException(shard, "index " + index + " maps tensor '" + name
                    + "' to this shard, but the shard has no such tensor");
        }
        return file;
    }

    /** Closes every opened shard. */
    @Override
    public synchronized void close() {
        closed = true;
        openShards.values().forEach(SafetensorsFile::close);
        openShards.clear();
    }

    @Override
    public String toString() {
        return "SafetensorsCheckpoint[" + location + ", " + weightMap.size() + " tensors"
                + (index == null ? "" : " in " + files().size() + " shards") + "]";
    }

    private synchronized SafetensorsFile shard(Path shard) {
        if (closed) {
            throw new IllegalStateException(location + " is closed");
        }
        return openShards.computeIfAbsent(shard, SafetensorsFile::open);
    }
}
