package dev.tokenreduce.core;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Arrays built once per device and kept for the life of their owner (index tables, sparse constant matrices), so
 * that a hot path does not upload them on every call.
 *
 * <p>Each device's arrays live in their own base manager, never closed, and are taken out of whatever
 * {@link NDScope} the first caller had open (which would otherwise close them when that call ends).
 *
 * <p>Mind DJL's ownership rule when using them: an op's result lands in its <em>first operand's</em> manager, so a
 * product with a constant on the left (a sparse matrix must be) would leave every result in this never-closed
 * manager. {@link SparseTensors#applyToBatch} moves its result to the caller's manager; other uses must attach
 * their results likewise.
 *
 * @param <T> what is built for a device: an array or a record of arrays
 */
public final class DeviceConstants<T> {

    private final Function<NDManager, T> build;
    private final Map<Device, T> byDevice = new ConcurrentHashMap<>();

    /**
     * @param build creates the arrays in the manager it is given (a fresh base manager on the device)
     */
    public DeviceConstants(Function<NDManager, T> build) {
        this.build = build;
    }

    /** The arrays on {@code device}, built on first use. */
    public T on(Device device) {
        return byDevice.computeIfAbsent(device, this::upload);
    }

    private T upload(Device device) {
        NDManager owner = NDManager.newBaseManager(device);
        T value = build.apply(owner);
        owner.getManagedArrays().forEach(NDScope::unregister);
        return value;
    }
}
