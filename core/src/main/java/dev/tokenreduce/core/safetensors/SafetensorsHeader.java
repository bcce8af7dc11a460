package dev.tokenreduce.core.safetensors;

import java.util.Map;

/**
 * A validated header: the tensors in header order, the {@code __metadata__} map, and where the data section is.
 *
 * @param tensors entries by name, in the order of the JSON header (unmodifiable)
 * @param metadata the {@code __metadata__} strings (unmodifiable, empty when absent)
 * @param dataStart file offset of the data section ({@code 8 + header length})
 * @param dataLength bytes in the data section
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart, long dataLength) {}
