package dev.tokenreduce.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeviceConstantsTest {

    @Test
    void builtOncePerDeviceAndKeptPastTheScopeOfTheFirstCaller() {
        AtomicInteger builds = new AtomicInteger();
        DeviceConstants<NDArray> constants = new DeviceConstants<>(owner -> {
            builds.incrementAndGet();
            return owner.create(new float[] {1f, 2f, 3f});
        });
        NDArray first;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            first = constants.on(Device.cpu());
        }
        assertThat(constants.on(Device.cpu())).isSameAs(first);
        assertThat(first.toFloatArray()).containsExactly(1f, 2f, 3f);
        assertThat(builds).hasValue(1);
    }
}
