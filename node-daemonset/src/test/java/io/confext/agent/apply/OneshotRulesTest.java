package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.systemd.UnitProperties.LastRun;
import io.confext.api.v1alpha1.ReloadMode;
import org.junit.jupiter.api.Test;

class OneshotRulesTest {
    private static final String U = "setup.service";

    @Test
    void changeIsJudgedByTheLastProvenRun() {
        assertThat(OneshotRules.change("1", "1", false)).isEqualTo(UnitChange.UNCHANGED);
        assertThat(OneshotRules.change(null, "1", false)).isEqualTo(UnitChange.FIRST_ATTACH);
        assertThat(OneshotRules.change("1", "2", false)).isEqualTo(UnitChange.NEW_VERSION);
        assertThat(OneshotRules.change("1", null, true)).isEqualTo(UnitChange.DETACH);
        assertThat(OneshotRules.change(null, null, true)).isEqualTo(UnitChange.UNCHANGED);
        assertThat(OneshotRules.change(null, "1", true)).isEqualTo(UnitChange.DETACH);
    }

    @Test
    void runAgainOnlyWhenTheModeAllowsARestart() {
        for (ReloadMode m : new ReloadMode[] {ReloadMode.Restart, ReloadMode.ReloadOrRestart}) {
            Activation a = OneshotRules.plan(U, true, UnitChange.NEW_VERSION, m);
            assertThat(a.action()).isEqualTo(Activation.Action.RESTART);
            assertThat(a.reason()).isEqualTo("RunAgain");
            assertThat(OneshotRules.plan(U, true, UnitChange.FIRST_ATTACH, m).reason())
                    .isEqualTo("RunAgain");
            assertThat(OneshotRules.plan(U, true, UnitChange.DETACH, m).reason())
                    .isEqualTo("RunAgain");
        }
        Activation reload = OneshotRules.plan(U, true, UnitChange.NEW_VERSION, ReloadMode.Reload);
        assertThat(reload.action()).isEqualTo(Activation.Action.FAIL);
        assertThat(reload.reason()).isEqualTo("OneshotNeedsRestart");
        assertThat(reload.message())
                .contains("Type=oneshot")
                .contains("spec.reload is Reload")
                .contains("ReloadOrRestart");

        assertThat(OneshotRules.plan(U, true, UnitChange.NEW_VERSION, ReloadMode.None)
                        .reason())
                .isEqualTo("ReloadModeNone");
        assertThat(OneshotRules.plan(U, true, UnitChange.UNCHANGED, ReloadMode.Reload)
                        .reason())
                .isEqualTo("UpToDate");
        assertThat(OneshotRules.plan(U, false, UnitChange.NEW_VERSION, ReloadMode.Restart)
                        .reason())
                .isEqualTo("UnitInactive");
    }

    @Test
    void theProofIsASuccessfulRunStartedAfterTheActivation() {
        long began = 1_700_000_000_000_000L;
        OneshotRules.Proof ok = OneshotRules.judge(U, "active", new LastRun("success", 0, began + 5_000), began);
        assertThat(ok.verdict()).isEqualTo(OneshotRules.Verdict.PROVEN);
        assertThat(ok.message())
                .contains("proof from its last run, not a live process")
                .contains("2023-11-14T22:13:20.005Z");

        assertThat(OneshotRules.judge(U, "active", new LastRun("success", 0, began - 1), began)
                        .verdict())
                .as("the old run")
                .isEqualTo(OneshotRules.Verdict.WAIT);
        assertThat(OneshotRules.judge(U, "active", LastRun.NONE, began).verdict())
                .isEqualTo(OneshotRules.Verdict.WAIT);
        assertThat(OneshotRules.judge(U, "activating", new LastRun("success", 0, began + 1), began)
                        .verdict())
                .isEqualTo(OneshotRules.Verdict.WAIT);

        OneshotRules.Proof failed = OneshotRules.judge(U, "failed", new LastRun("exit-code", 3, began + 1), began);
        assertThat(failed.verdict()).isEqualTo(OneshotRules.Verdict.FAILED);
        assertThat(failed.message()).contains("Result=exit-code").contains("exit status 3");
        assertThat(OneshotRules.judge(U, "active", new LastRun("success", 1, began + 1), began)
                        .verdict())
                .isEqualTo(OneshotRules.Verdict.FAILED);
    }
}
