package dev.tokenreduce.cli;

import ai.djl.Device;
import dev.tokenreduce.core.InvalidInputException;
import java.util.Locale;

/** Parses {@code --device} values: {@code cpu}, {@code gpu}, {@code gpu:N}. */
final class Devices {

    private Devices() {}

    static Device parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return Device.cpu();
        }
        if (t.equals("gpu") || t.equals("cuda")) {
            return Device.gpu();
        }
        if (t.startsWith("gpu:") || t.startsWith("cuda:")) {
            try {
                int id = Integer.parseInt(t.substring(t.indexOf(':') + 1));
                if (id >= 0) {
                    return Device.gpu(id);
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new InvalidInputException("--device: expected cpu, gpu or gpu:N, got '" + text + "'");
    }
}
