package dev.tokenreduce.datasets.readers;

import java.nio.file.Path;

/** An image file and its target file (label or depth), with the sample name. */
record FilePair(String name, Path image, Path target) {}
