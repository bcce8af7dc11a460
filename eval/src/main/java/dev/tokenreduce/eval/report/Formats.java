package dev.tokenreduce.eval.report;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Number and text formatting shared by the Markdown and CSV writers (locale-independent, NaN as "-"). */
final class Formats {

    private Formats() {}

    static String number(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String signed(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%+." + decimals + "f", v);
    }

    /** Four significant-ish decimals for metrics, which range from 0–1 ratios to RMSE in metres. */
    static String metric(double v) {
        return number(v, 4);
    }

    /** "cosine 0.9981, agreement 0.9720", or "-". */
    static String pairs(Map<String, Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        StringJoiner j = new StringJoiner(", ");
        values.forEach((k, v) -> j.add(k + " " + metric(v)));
        return j.toString();
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** An RFC 4180 CSV field. */
    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** A CSV number: empty when unknown, full precision otherwise. */
    static String csvNumber(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : Double.toString(v);
    }
}
