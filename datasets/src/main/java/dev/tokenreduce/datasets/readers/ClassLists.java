package dev.tokenreduce.datasets.readers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Class-name lists of the standard benchmarks, from resource files beside this class (one name per line). */
final class ClassLists {

    private ClassLists() {}

    /** ADE20K SceneParsing's 150 classes (after reduce-zero-label). */
    static List<String> ade20k() {
        return load("ade20k.txt", 150);
    }

    /** Cityscapes' 19 train ids. */
    static List<String> cityscapes() {
        return load("cityscapes.txt", 19);
    }

    /** Pascal VOC 2012: background + 20 objects. */
    static List<String> voc() {
        return load("voc.txt", 21);
    }

    /** Pascal Context: background + 59 classes (the 60-class index PNG convention). */
    static List<String> context60() {
        return load("context.txt", 60);
    }

    /** Pascal Context without the background (59 classes, reduce-zero-label). */
    static List<String> context59() {
        List<String> all = context60();
        return List.copyOf(all.subList(1, all.size()));
    }

    private static List<String> load(String resource, int expected) {
        try (InputStream in = ClassLists.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class list resource missing: " + resource);
            }
            List<String> names = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
            }
            if (names.size() != expected) {
                throw new IllegalStateException(resource + " lists " + names.size() + " classes, expected " + expected);
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
