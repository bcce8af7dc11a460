package dev.tokenreduce.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run happened on: cores, OS, CPU model, memory. No host names or user names. */
public final class MachineInfo {

    private MachineInfo() {}

    /** Name → value, insertion-ordered. */
    public static Map<String, Object> detect() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("os", System.getProperty("os.name", "unknown"));
        out.put("osVersion", System.getProperty("os.version", "unknown"));
        out.put("arch", System.getProperty("os.arch", "unknown"));
        out.put("cpuModel", cpuModel(readLines(Path.of("/proc/cpuinfo"))));
        long memKiB = memTotalKiB(readLines(Path.of("/proc/meminfo")));
        out.put("memoryBytes", memKiB < 0 ? -1 : memKiB * 1024);
        out.put("jvmMaxHeapBytes", Runtime.getRuntime().maxMemory());
        return out;
    }

    /** The first "model name" of /proc/cpuinfo (x86), else "Hardware"/"CPU part" lines (ARM), else "unknown". */
    static String cpuModel(List<String> cpuinfo) {
        for (String key : new String[] {"model name", "Hardware", "Model", "CPU part"}) {
            for (String line : cpuinfo) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    String v = line.substring(colon + 1).trim();
                    if (!v.isEmpty()) {
                        return v;
                    }
                }
            }
        }
        return "unknown";
    }

    static long memTotalKiB(List<String> meminfo) {
        for (String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                try {
                    return Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.isReadable(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
