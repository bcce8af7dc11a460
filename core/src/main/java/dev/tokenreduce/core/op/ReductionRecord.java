package dev.tokenreduce.core.op;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one operator did at one hook point: token counts before and after, requested budget, time taken and
 * method-specific details (kept indices, thresholds, ratios). Plain data, so reports need no second pass.
 *
 * @param op operator id
 * @param at hook point, as written in policies
 * @param tokensIn visual tokens before
 * @param tokensOut visual tokens after
 * @param nanos wall time the operator itself took
 * @param details method-specific values (numbers, strings, int arrays), insertion-ordered
 */
public record ReductionRecord(String op, String at, int tokensIn, int tokensOut, long nanos, Map<String, Object> details) {

    public ReductionRecord {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Whether the operator changed the number of tokens (a step that did nothing is reported, not silent). */
    public boolean changedCount() {
        return tokensIn != tokensOut;
    }

    public double millis() {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return op + "@" + at + ": " + tokensIn + " -> " + tokensOut + String.format(" (%.3f ms)", millis())
                + (details.isEmpty() ? "" : " " + details);
    }
}
