package dev.tokenreduce.eval.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The versions a run used: tokenreduce and its pinned libraries (from a properties resource the build fills
 * in, or the jar manifest), the Java runtime, and the DJL api found on the class path.
 */
public final class Versions {

    private static final String RESOURCE = "/dev/tokenreduce/eval/report/versions.properties";

    private Versions() {}

    /** Name → version, insertion-ordered; unknown values are "unknown". */
    public static Map<String, String> detect() {
        Map<String, String> out = new LinkedHashMap<>();
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // leave the build versions unknown rather than fail a report
        }
        String manifest = Versions.class.getPackage().getImplementationVersion();
        out.put("tokenreduce", manifest != null ? manifest : clean(p.getProperty("tokenreduce")));
        for (String key : new String[] {"djl", "pytorch", "pytorch-jni", "jackson", "jfreechart", "opencv"}) {
            out.put(key, clean(p.getProperty(key)));
        }
        out.put("djl-runtime", djlRuntimeVersion());
        out.put("java", System.getProperty("java.version", "unknown"));
        out.put("java-vendor", System.getProperty("java.vendor", "unknown"));
        out.put("java-vm", System.getProperty("java.vm.name", "unknown"));
        return out;
    }

    /** The DJL api version on the class path (does not load any engine). */
    static String djlRuntimeVersion() {
        try {
            String v = ai.djl.engine.Engine.getDjlVersion();
            return v == null ? "unknown" : v;
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    private static String clean(String value) {
        // an unfiltered placeholder means the resource was not processed by the build
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}
