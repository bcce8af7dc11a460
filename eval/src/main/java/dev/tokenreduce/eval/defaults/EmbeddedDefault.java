package dev.tokenreduce.eval.defaults;

import dev.tokenreduce.core.TokenReduceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded default of {@code tokenreduce bench}: a segmentation model (timm-layout ViT with a linear head, see
 * {@code dev/tokenreduce/eval/default/model/README.md}) and a bundled synthetic evaluation split, stored as
 * class-path resources under {@value #ROOT} and listed in {@value #INDEX}.
 *
 * <p>Loaders read plain folders, so the resources are extracted (from the jar or the class-path folder) to
 * {@code <java.io.tmpdir>/tokenreduce-default-<hash>}, where {@code hash} is a SHA-256 over every resource's name
 * and bytes: a new build with other content gets a new folder, an unchanged one reuses the existing folder.
 * Extraction writes to a private temporary folder and renames it into place atomically, so concurrent processes
 * and threads never see a half-written folder; the loser of a race discards its copy.
 */
public final class EmbeddedDefault {

    /** Class-path folder of the embedded default. */
    public static final String ROOT = "dev/tokenreduce/eval/default/";
    /** Class-path index: one resource path (relative to {@link #ROOT}) per line. */
    public static final String INDEX = ROOT + "files.txt";
    /** Split name of the bundled evaluation data. */
    public static final String SPLIT = "validation";

    private static volatile Path extracted;

    private EmbeddedDefault() {}

    /** The model folder ({@code config.json}, {@code model.safetensors}), extracted on first use. */
    public static Path modelDir() {
        return root().resolve("model");
    }

    /** The data folder (ADE20K-like: {@code images/validation}, {@code annotations/validation}), extracted on first use. */
    public static Path dataDir() {
        return root().resolve("data");
    }

    /**
     * The extraction folder holding {@code model/} and {@code data/}.
     *
     * @throws TokenReduceException when the resources are missing or cannot be extracted
     */
    public static Path root() {
        Path p = extracted;
        if (p == null) {
            synchronized (EmbeddedDefault.class) {
                p = extracted;
                if (p == null) {
                    p = extract(Path.of(System.getProperty("java.io.tmpdir")));
                    extracted = p;
                }
            }
        }
        return p;
    }

    /**
     * Extracts the resources under {@code cacheBase} (idempotent: an existing complete folder is reused).
     *
     * @return {@code cacheBase/tokenreduce-default-<hash>}
     */
    public static Path extract(Path cacheBase) {
        Map<String, byte[]> files = readAll();
        Path target = cacheBase.resolve("tokenreduce-default-" + hash(files));
        if (Files.isDirectory(target)) {
            return target;
        }
        Path staging = null;
        try {
            Files.createDirectories(cacheBase);
            staging = Files.createTempDirectory(cacheBase, ".tokenreduce-default-");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path file = staging.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // another process won the race with identical content
            }
            return target;
        } catch (IOException e) {
            throw new TokenReduceException("cannot extract the embedded default model and data to " + target + ": "
                    + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    /** The resource paths (relative to {@link #ROOT}) listed in the index. */
    public static List<String> files() {
        String index = new String(read(INDEX), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                if (name.contains("..") || name.startsWith("/")) {
                    throw new TokenReduceException(INDEX + ": invalid entry '" + name + "'");
                }
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, byte[]> readAll() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : files()) {
            files.put(name, read(ROOT + name));
        }
        return files;
    }

    private static byte[] read(String resource) {
        ClassLoader loader = EmbeddedDefault.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TokenReduceException("embedded default: resource " + resource + " is missing from the class"
                        + " path (a broken build?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded default: cannot read " + resource, e);
        }
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(e.getValue().length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover staging folder is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
