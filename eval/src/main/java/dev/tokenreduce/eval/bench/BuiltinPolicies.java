package dev.tokenreduce.eval.bench;

import dev.tokenreduce.core.TokenReduceException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies {@code tokenreduce bench} runs when none are given: YAML resources under
 * {@code dev/tokenreduce/eval/policies/}, listed in that folder's {@code index.txt}, loaded through the core
 * {@link PolicyLoader} like any policy file. They are tuned for the embedded default model (see the comments in
 * each file for how the values were chosen).
 */
public final class BuiltinPolicies {

    /** Resource folder of the built-in policies. */
    public static final String FOLDER = "/dev/tokenreduce/eval/policies/";

    private BuiltinPolicies() {}

    /** The resource file names, in run order. */
    public static List<String> names() {
        String index = read("index.txt");
        List<String> out = new ArrayList<>();
        for (String line : index.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every built-in policy, loaded with the default operator registry. */
    public static List<Policy> load() {
        PolicyLoader loader = PolicyLoader.withDefaults();
        List<Policy> out = new ArrayList<>();
        for (String file : names()) {
            String stem = file.replaceFirst("\\.(ya?ml|json)$", "");
            out.add(loader.parse(read(file), file.endsWith(".json"), "built-in policy " + file, stem, null));
        }
        return out;
    }

    /** The text of one built-in policy (or the index). */
    public static String read(String file) {
        try (InputStream in = BuiltinPolicies.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new TokenReduceException("built-in policy resource " + FOLDER + file + " is missing from the"
                        + " build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenReduceException("cannot read built-in policy " + file + ": " + e.getMessage(), e);
        }
    }
}
