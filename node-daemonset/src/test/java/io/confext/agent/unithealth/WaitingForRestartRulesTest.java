package io.confext.agent.unithealth;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.state.BundleRecord;
import io.confext.api.v1alpha1.BundlePhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitingForRestartRulesTest {
    private static BundleRecord.Outcome outcome(String reason, long recordedPid) {
        return new BundleRecord.Outcome(
                BundlePhase.Pending,
                reason,
                "m",
                "t",
                null,
                List.of(new BundleRecord.UnitView("demo.service", null, recordedPid)),
                null);
    }

    @Test
    void aNewMainProcessOfAWaitingUnitAsksForAPass() {
        assertThat(WaitingForRestartRules.restarted(
                        outcome("WaitingForUnitRestart", 117), Map.of("demo.service", 153L)))
                .isTrue();
    }

    @Test
    void theSameMainProcessKeepsWaiting() {
        assertThat(WaitingForRestartRules.restarted(
                        outcome("WaitingForUnitRestart", 117), Map.of("demo.service", 117L)))
                .isFalse();
    }

    @Test
    void aStoppedUnitOrOneNotLookedAtIsNoRestart() {
        assertThat(WaitingForRestartRules.restarted(outcome("WaitingForUnitRestart", 117), Map.of("demo.service", 0L)))
                .isFalse();
        assertThat(WaitingForRestartRules.restarted(outcome("WaitingForUnitRestart", 117), Map.of()))
                .isFalse();
    }

    @Test
    void onlyAWaitingOutcomeIsWatchedThisWay() {
        assertThat(WaitingForRestartRules.restarted(outcome("ReloadModeNone", 117), Map.of("demo.service", 153L)))
                .isFalse();
        assertThat(WaitingForRestartRules.restarted(null, Map.of("demo.service", 153L)))
                .isFalse();
    }
}
