package dev.tokenreduce.eval.report;

import java.nio.file.Path;
import java.util.List;

/**
 * The files a report consists of.
 *
 * @param directory the report folder
 * @param markdown {@code report.md}
 * @param csv {@code results.csv}
 * @param json {@code results.json}
 * @param charts chart PNGs written (charts without data are left out)
 * @param images sample images written (cluster maps, kept tokens)
 */
public record ReportFiles(Path directory, Path markdown, Path csv, Path json, List<Path> charts, List<Path> images) {

    public ReportFiles {
        charts = List.copyOf(charts);
        images = List.copyOf(images);
    }
}
