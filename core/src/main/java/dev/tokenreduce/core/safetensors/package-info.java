/**
 * Reading and writing the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header
 * describing each tensor (dtype, shape, byte range), then the raw little-endian tensor data.
 *
 * <p>{@link dev.tokenreduce.core.safetensors.SafetensorsFile} validates the whole header before it maps or
 * allocates anything else and reads tensors lazily through memory-mapped windows, so files and tensors larger
 * than 2 GiB work. {@link dev.tokenreduce.core.safetensors.SafetensorsCheckpoint} adds sharded checkpoints
 * ({@code model.safetensors.index.json}); {@link dev.tokenreduce.core.safetensors.SafetensorsWriter} writes files
 * atomically. F16 and BF16 are always widened to F32 in Java: DJL's engines must never see those types.
 */
package dev.tokenreduce.core.safetensors;
