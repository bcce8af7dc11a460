package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinPoliciesTest {

    @Test
    void everyBuiltInLoadsThroughThePolicyLoaderWithAUniqueName() {
        List<Policy> policies = BuiltinPolicies.load();
        assertThat(policies).hasSize(BuiltinPolicies.names().size()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(policies).extracting(Policy::name).doesNotHaveDuplicates()
                .contains("expedit-a2-10x10", "expedit-a2-8x8", "expedit-a3-6x6", "tome-r32", "pool-a2-8x8",
                        "random-a2-keep64");
        for (Policy p : policies) {
            assertThat(p.steps()).as(p.name()).isNotEmpty();
            p.checkEncoderDepth(6);
        }
        assertThat(policies.stream().flatMap(p -> p.steps().stream()).map(s -> s.op()))
                .contains("expedit-cluster", "expedit-reconstruct", "tome", "pool", "random");
    }
}
