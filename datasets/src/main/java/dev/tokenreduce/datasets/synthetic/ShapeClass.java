package dev.tokenreduce.datasets.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The classes of synthetic scenes; the label value of each is its {@link #label()}. */
public enum ShapeClass {
    /** Textured background, behind every shape. */
    BACKGROUND(0, "background"),
    /** A disc, striped. */
    CIRCLE(1, "circle"),
    /** A rotated rectangle, checkered. */
    RECTANGLE(2, "rectangle"),
    /** A triangle with a colour gradient and grain. */
    TRIANGLE(3, "triangle"),
    /** An elongated rotated ellipse, with spots. */
    ELLIPSE(4, "ellipse"),
    /** A wobbly star-shaped blob, mottled. */
    BLOB(5, "blob");

    private final int label;
    private final String displayName;

    ShapeClass(int label, String displayName) {
        this.label = label;
        this.displayName = displayName;
    }

    /** The value written to label maps. */
    public int label() {
        return label;
    }

    /** Lower-case name used in class lists. */
    public String displayName() {
        return displayName;
    }

    /** Number of classes including the background. */
    public static int count() {
        return values().length;
    }

    /** Class names in label order. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ShapeClass c : values()) {
            names.add(c.displayName);
        }
        return Collections.unmodifiableList(names);
    }

    /** The foreground classes (every class but the background). */
    static ShapeClass[] shapes() {
        return new ShapeClass[] {CIRCLE, RECTANGLE, TRIANGLE, ELLIPSE, BLOB};
    }
}
