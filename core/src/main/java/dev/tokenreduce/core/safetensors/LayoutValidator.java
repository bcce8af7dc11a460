package dev.tokenreduce.core.safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Checks that every tensor's byte range fits the data section, matches dtype × shape, and overlaps no other. */
final class LayoutValidator {

    private LayoutValidator() {}

    static void validate(Path file, Collection<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> nonEmpty = new ArrayList<>(tensors.size());
        for (TensorInfo t : tensors) {
            long expected = expectedBytes(file, t);
            if (t.end() > dataLength) {
                throw new SafetensorsException(file, "data_offsets [" + t.begin() + ", " + t.end() + "] of tensor '"
                        + t.name() + "' lie outside the data section of " + dataLength + " bytes (truncated file?)");
            }
            if (t.byteCount() != expected) {
                throw new SafetensorsException(file, "tensor '" + t.name() + "' has data_offsets [" + t.begin()
                        + ", " + t.end() + "] = " + t.byteCount() + " bytes, but dtype " + t.dtype()
                        + " with shape " + Arrays.toString(t.shape()) + " needs " + expected + " bytes");
            }
            if (expected > 0) {
                nonEmpty.add(t);
            }
        }
        // Empty tensors occupy no bytes, so they cannot overlap anything.
        nonEmpty.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < nonEmpty.size(); i++) {
            TensorInfo previous = nonEmpty.get(i - 1);
            TensorInfo current = nonEmpty.get(i);
            if (current.begin() < previous.end()) {
                throw new SafetensorsException(file, "tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + current.name() + "' [" + current.begin() + ", "
                        + current.end() + ") overlap");
            }
        }
    }

    private static long expectedBytes(Path file, TensorInfo t) {
        long elements;
        try {
            elements = t.elementCount();
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, "shape " + Arrays.toString(t.shape()) + " of tensor '" + t.name()
                    + "' has more elements than fit in a 64-bit integer");
        }
        try {
            return Math.multiplyExact(elements, (long) t.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, "tensor '" + t.name() + "' with dtype " + t.dtype() + " and shape "
                    + Arrays.toString(t.shape()) + " needs more bytes than fit in a 64-bit integer");
        }
    }
}
