package dev.tokenreduce.cli;

import ai.djl.Device;
import dev.tokenreduce.core.InvalidInputException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --device} option every command that runs a model shares (a picocli mixin): cpu, gpu or gpu:N. */
final class DeviceOption {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String text;

    /** The value as given (for reports). */
    String text() {
        return text;
    }

    /** The device named by the option. */
    Device device() {
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
