package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while listing a dataset (missing files, unpaired images or labels) so they are
 * reported together in one {@link DatasetException}: the first {@value #SHOWN} in full, then a count of the rest.
 */
final class Problems {

    static final int SHOWN = 20;

    private final List<String> problems = new ArrayList<>();

    void add(String problem) {
        problems.add(problem);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int count() {
        return problems.size();
    }

    /** Throws when any problem was recorded; {@code context} names the dataset, split and root. */
    void throwIfAny(String context) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(context).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append(" with the files");
        for (int i = 0; i < Math.min(SHOWN, problems.size()); i++) {
            sb.append("\n  ").append(problems.get(i));
        }
        if (problems.size() > SHOWN) {
            sb.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
        }
        throw new DatasetException(sb.toString());
    }
}
