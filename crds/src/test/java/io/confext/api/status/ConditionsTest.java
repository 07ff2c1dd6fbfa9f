package io.confext.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void keepsTheTransitionTimeWhileTheStatusStays() {
        List<Condition> first = new Conditions(null, 1, T0)
                .put("Available", Conditions.FALSE, Reason.NoVersionRolledOut, "not yet")
                .put("Degraded", Conditions.FALSE, Reason.AsExpected, "no node failed")
                .build();
        List<Condition> next = new Conditions(first, 2, T1)
                .put("Available", Conditions.TRUE, Reason.RolloutComplete, "version 2 is rolled out")
                .put("Degraded", Conditions.FALSE, Reason.AsExpected, "no node failed")
                .build();

        Condition available = Conditions.find(next, "Available");
        assertThat(available.getReason()).isEqualTo("RolloutComplete");
        assertThat(available.getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(available.getObservedGeneration()).isEqualTo(2L);
        assertThat(Conditions.find(next, "Degraded").getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(Conditions.find(next, "Paused")).isNull();
        assertThat(Conditions.find(null, "Paused")).isNull();
    }

    @Test
    void replaceChangesOneConditionAndKeepsTheOthers() {
        List<Condition> before = new Conditions(null, 1, T0)
                .put("Available", Conditions.TRUE, Reason.RolloutComplete, "done")
                .put("Degraded", Conditions.FALSE, Reason.AsExpected, "no node failed")
                .build();
        List<Condition> after = Conditions.replace(
                before,
                Conditions.of(
                        "Degraded",
                        Conditions.TRUE,
                        Reason.InvalidSpec,
                        "spec.version is required",
                        3L,
                        T1.toString()));

        assertThat(after).extracting(Condition::getType).containsExactly("Available", "Degraded");
        Condition degraded = Conditions.find(after, "Degraded");
        assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
        assertThat(degraded.getObservedGeneration()).isEqualTo(3L);
        assertThat(Conditions.replace(null, degraded)).containsExactly(degraded);
        // no generation: the field stays out (the Terminating condition of a deleted bundle)
        assertThat(Conditions.of("Terminating", Conditions.TRUE, Reason.WaitingForNodes, "m", null, T0.toString())
                        .getObservedGeneration())
                .isNull();
    }
}
