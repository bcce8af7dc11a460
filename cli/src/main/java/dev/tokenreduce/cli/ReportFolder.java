package dev.tokenreduce.cli;

import dev.tokenreduce.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code bench} writes its report, chosen so that an earlier report is never overwritten by accident: a folder
 * named with {@code --output} that already holds one is an error unless {@code --overwrite} is given; the default
 * folder moves on to the first free {@code NAME-2}, {@code NAME-3}, … instead.
 */
final class ReportFolder {

    /** Files whose presence marks a folder as holding a report. */
    static final List<String> REPORT_FILES = List.of("report.md", "results.json", "results.csv");

    private static final int MAX_SUFFIX = 10_000;

    private ReportFolder() {}

    /** The chosen folder and, when it is not the one asked for or replaces a report, a note for the user. */
    record Choice(Path folder, String note) {}

    /**
     * @param requested the {@code --output} value (or its default)
     * @param explicit whether the user gave {@code --output}
     * @param overwrite whether {@code --overwrite} was given
     * @throws InvalidInputException for an explicit folder that holds a report without {@code --overwrite}, or a
     *     path that exists but is not a folder
     */
    static Choice choose(Path requested, boolean explicit, boolean overwrite) {
        if (Files.exists(requested) && !Files.isDirectory(requested)) {
            throw new InvalidInputException("--output: " + requested + " exists and is not a folder");
        }
        if (!holdsReport(requested)) {
            return new Choice(requested, null);
        }
        if (overwrite) {
            return new Choice(requested, "replacing the earlier report in " + requested + " (--overwrite)");
        }
        if (explicit) {
            throw new InvalidInputException("--output: " + requested + " already holds a report ("
                    + String.join(", ", present(requested)) + "); choose another folder or pass --overwrite");
        }
        String name = requested.getFileName() == null ? "tokenreduce-report" : requested.getFileName().toString();
        for (int i = 2; i <= MAX_SUFFIX; i++) {
            Path candidate = requested.resolveSibling(name + "-" + i);
            if (!Files.exists(candidate)) {
                return new Choice(candidate, requested + " holds an earlier report; writing to " + candidate
                        + " (--output chooses the folder)");
            }
        }
        throw new InvalidInputException("--output: " + requested + " and " + name + "-2 … " + name + "-" + MAX_SUFFIX
                + " all exist; choose a folder with --output");
    }

    static boolean holdsReport(Path folder) {
        return Files.isDirectory(folder) && !present(folder).isEmpty();
    }

    private static List<String> present(Path folder) {
        return REPORT_FILES.stream().filter(f -> Files.exists(folder.resolve(f))).toList();
    }
}
