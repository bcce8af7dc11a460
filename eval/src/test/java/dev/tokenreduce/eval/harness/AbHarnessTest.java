package dev.tokenreduce.eval.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.TokenReduceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AbHarnessTest {

    /** A clock that only moves when a fake workload "takes" time. */
    private static final class FakeClock implements NanoClock {
        final AtomicLong now = new AtomicLong();

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advanceMillis(double ms) {
            now.addAndGet((long) (ms * 1e6));
        }
    }

    @Test
    void variantsAlternateRoundRobinAfterInterleavedWarmUp() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        AbResult r = AbHarness.builder()
                .addVariant("A", Workload.of(() -> calls.add("A")))
                .addVariant("B", Workload.of(() -> calls.add("B")))
                .addVariant("C", Workload.of(() -> calls.add("C")))
                .build().run();
        // 3 warm-up rounds then 10 timed rounds, each round rotated by one
        assertThat(calls).hasSize(13 * 3);
        assertThat(calls.subList(0, 9)).containsExactly("A", "B", "C", "B", "C", "A", "C", "A", "B");
        assertThat(r.executionOrder()).hasSize(30);
        assertThat(r.executionOrder().subList(0, 9)).containsExactly("A", "B", "C", "B", "C", "A", "C", "A", "B");
        assertThat(r.executionOrder().subList(27, 30)).containsExactly("A", "B", "C");
        assertThat(calls.subList(9, 39)).isEqualTo(r.executionOrder());
        assertThat(r.warmup()).isEqualTo(3);
        assertThat(r.repeats()).isEqualTo(10);
        assertThat(r.baseline()).isEqualTo("A");
    }

    @Test
    void statisticsAndRatiosComeFromTheMeasuredDurations() {
        FakeClock clock = new FakeClock();
        int[] call = {0};
        // the baseline takes 10 ms, except one slow outlier run (40 ms): its 8th call, 5th timed run
        AbResult r = AbHarness.builder()
                .addVariant("baseline", Workload.of(() -> clock.advanceMillis(++call[0] == 8 ? 40 : 10)))
                .addVariant("policy", phases -> {
                    clock.advanceMillis(5);
                    phases.record("reducer", 1_000_000);
                    phases.record("reducer", 500_000);
                })
                .optBatchSize(4)
                .optClock(clock)
                .build().run();
        VariantResult base = r.baselineResult();
        VariantResult pol = r.variant("policy");
        assertThat(base.latency().count()).isEqualTo(10);
        assertThat(base.latency().medianMs()).isCloseTo(10, within(1e-9));
        assertThat(base.latency().maxMs()).isCloseTo(40, within(1e-9));
        assertThat(base.latency().meanMs()).isCloseTo(13, within(1e-9));
        assertThat(base.latency().p90Ms()).isCloseTo(13, within(1e-9)); // 10 + 0.1 * (40 - 10)
        assertThat(pol.latency().medianMs()).isCloseTo(5, within(1e-9));
        assertThat(pol.speedup()).isCloseTo(2.0, within(1e-9));
        assertThat(base.speedup()).isCloseTo(1.0, within(1e-9));
        assertThat(pol.throughput()).isCloseTo(4 * 1000.0 / 5, within(1e-9));
        assertThat(pol.phases()).containsOnlyKeys("reducer");
        assertThat(pol.phases().get("reducer").medianMs()).isCloseTo(1.5, within(1e-9));
        assertThat(base.phases()).isEmpty();
        assertThat(pol.samplesNanos()).hasSize(10).containsOnly(5_000_000L);
    }

    @Test
    void realSleepingWorkloadsAreOrderedBySpeed() {
        AbResult r = AbHarness.builder()
                .addVariant("slow", Workload.of(() -> Thread.sleep(4)))
                .addVariant("fast", Workload.of(() -> {
                    long end = System.nanoTime() + 500_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }))
                .build().run();
        assertThat(r.variant("fast").speedup()).isGreaterThan(1.0);
        assertThat(r.variant("slow").latency().minMs()).isGreaterThanOrEqualTo(3.9);
        assertThat(r.threads().availableProcessors()).isPositive();
        assertThat(r.threads().jvmLiveThreads()).isPositive();
        if (new java.io.File("/proc/self/status").canRead()) {
            assertThat(r.memoryBefore().rssBytes()).isPositive();
            assertThat(r.memoryAfter().peakRssBytes()).isGreaterThanOrEqualTo(r.memoryAfter().rssBytes());
        }
    }

    @Test
    void explicitBaselineDefinesTheRatios() {
        FakeClock clock = new FakeClock();
        AbResult r = AbHarness.builder()
                .addVariant("fast", Workload.of(() -> clock.advanceMillis(2)))
                .addVariant("ref", Workload.of(() -> clock.advanceMillis(8)))
                .optBaseline("ref").optClock(clock).build().run();
        assertThat(r.baseline()).isEqualTo("ref");
        assertThat(r.variant("fast").speedup()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aFailingWorkloadNamesTheVariantAndRun() {
        AbHarness h = AbHarness.builder()
                .addVariant("ok", Workload.of(() -> {}))
                .addVariant("broken", Workload.of(() -> {
                    throw new IllegalStateException("boom");
                }))
                .build();
        assertThatThrownBy(h::run).isInstanceOf(TokenReduceException.class)
                .hasMessageContaining("variant 'broken' failed in warm-up 1").hasMessageContaining("boom");
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> AbHarness.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least one variant");
        assertThatThrownBy(() -> AbHarness.builder().addVariant("a", Workload.of(() -> {})).optRepeats(5).build())
                .hasMessageContaining("repeats must be at least 10");
        assertThatThrownBy(() -> AbHarness.builder().addVariant("a", Workload.of(() -> {})).optWarmup(1).build())
                .hasMessageContaining("warm-up runs must be at least 3");
        assertThatThrownBy(() -> AbHarness.builder().addVariant("a", Workload.of(() -> {}))
                .addVariant("a", Workload.of(() -> {}))).hasMessageContaining("added twice");
        assertThatThrownBy(() -> AbHarness.builder().addVariant("a", Workload.of(() -> {})).optBaseline("b").build())
                .hasMessageContaining("baseline 'b'");
        AbResult quick = AbHarness.builder().addVariant("a", Workload.of(() -> {})).optAllowShortRuns(true)
                .optWarmup(0).optRepeats(2).build().run();
        assertThat(quick.repeats()).isEqualTo(2);
        assertThat(quick.executionOrder()).containsExactly("a", "a");
    }

    @Test
    void progressIsReportedOncePerRun() {
        List<String> steps = new ArrayList<>();
        int[] started = {0};
        int[] finished = {0};
        ProgressReporter recorder = new ProgressReporter() {
            @Override
            public void start(String task, int total) {
                started[0] = total;
            }

            @Override
            public void step(String detail) {
                steps.add(detail);
            }

            @Override
            public void finish() {
                finished[0]++;
            }
        };
        AbHarness.builder().addVariant("a", Workload.of(() -> {})).addVariant("b", Workload.of(() -> {}))
                .optProgress(recorder).build().run();
        assertThat(started[0]).isEqualTo(26);
        assertThat(steps).hasSize(26).startsWith("a (warm-up)", "b (warm-up)");
        assertThat(finished[0]).isEqualTo(1);
    }

    @Test
    void roundOrderRotates() {
        assertThat(AbHarness.roundOrder(3, 0)).containsExactly(0, 1, 2);
        assertThat(AbHarness.roundOrder(3, 4)).containsExactly(1, 2, 0);
        assertThat(AbHarness.roundOrder(1, 7)).containsExactly(0);
    }
}
