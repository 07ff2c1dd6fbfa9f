package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;

class ActivationPlannerTest {
    private final ActivationPlanner planner = new ActivationPlanner();

    private Activation plan(Scope scope, int systemd, boolean active, boolean refreshes, UnitChange change, ReloadMode mode) {
        return planner.plan(new ActivationPlanner.Input(scope, systemd, active, refreshes, change, mode, "demo.service"));
    }

    @Test
    void unchangedUnitIsLeftAlone() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.UNCHANGED, ReloadMode.Restart).action())
                .isEqualTo(Activation.Action.NONE);
    }

    @Test
    void inactiveUnitIsNotStarted() {
        Activation a = plan(Scope.Service, 262, false, true, UnitChange.NEW_VERSION, ReloadMode.Reload);
        assertThat(a.action()).isEqualTo(Activation.Action.NONE);
        assertThat(a.reason()).isEqualTo("UnitInactive");
    }

    @Test
    void reloadModeNoneNeverActs() {
        Activation a = plan(Scope.Service, 262, true, true, UnitChange.FIRST_ATTACH, ReloadMode.None);
        assertThat(a.action()).isEqualTo(Activation.Action.NONE);
        assertThat(a.reason()).isEqualTo("ReloadModeNone");
    }

    @Test
    void firstAttachmentRestartsEvenWhenReloadIsAsked() {
        Activation a = plan(Scope.Service, 262, true, true, UnitChange.FIRST_ATTACH, ReloadMode.Reload);
        assertThat(a.action()).isEqualTo(Activation.Action.RESTART);
        assertThat(a.reason()).isEqualTo("NamespaceSetupAtStart");
    }

    @Test
    void aVersionWhoseActivationWasInterruptedIsReloadedAgainForAVerdictEvenOnAHostThatCannotRefresh() {
        for (ReloadMode mode : new ReloadMode[] {ReloadMode.Reload, ReloadMode.ReloadOrRestart}) {
            for (int systemd : new int[] {257, 262}) {
                Activation a = plan(Scope.Service, systemd, true, systemd >= 258, UnitChange.UNPROVEN, mode);
                assertThat(a.action()).as("%s on %d", mode, systemd).isEqualTo(Activation.Action.RELOAD);
            }
        }
    }

    @Test
    void aRestartWhoseVerdictWasLostIsJudgedByTheUnitsStateWithoutAnotherRestart() {
        Activation a = plan(Scope.Service, 262, true, true, UnitChange.UNPROVEN, ReloadMode.Restart);
        assertThat(a.action()).isEqualTo(Activation.Action.NONE);
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.UNPROVEN, ReloadMode.None).reason()).isEqualTo("ReloadModeNone");
        assertThat(plan(Scope.Service, 262, false, true, UnitChange.UNPROVEN, ReloadMode.Reload).reason()).isEqualTo("UnitInactive");
    }

    @Test
    void detachRestarts() {
        assertThat(plan(Scope.Service, 257, true, false, UnitChange.DETACH, ReloadMode.Reload).action())
                .isEqualTo(Activation.Action.RESTART);
    }

    @Test
    void restartModeRestartsForANewVersion() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Restart).action())
                .isEqualTo(Activation.Action.RESTART);
    }

    @Test
    void newVersionReloadsWhereTheHostAndUnitRefresh() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Reload).action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Service, 258, true, true, UnitChange.NEW_VERSION, ReloadMode.ReloadOrRestart).action())
                .isEqualTo(Activation.Action.RELOAD);
    }

    @Test
    void oldSystemdRestartsWhenAllowed() {
        Activation a = plan(Scope.Service, 257, true, false, UnitChange.NEW_VERSION, ReloadMode.ReloadOrRestart);
        assertThat(a.action()).isEqualTo(Activation.Action.RESTART);
        assertThat(a.reason()).isEqualTo("RestartInsteadOfReload");
        assertThat(a.message()).contains("systemd 257");
    }

    @Test
    void oldSystemdWithReloadOnlyFailsSayingWhatToSet() {
        Activation a = plan(Scope.Service, 257, true, false, UnitChange.NEW_VERSION, ReloadMode.Reload);
        assertThat(a.action()).isEqualTo(Activation.Action.FAIL);
        assertThat(a.reason()).isEqualTo("ReloadCannotRefresh");
        assertThat(a.message()).contains("systemd 257").contains("spec.reload: ReloadOrRestart");
    }

    @Test
    void newSystemdButUnitOptedOutOfRefreshFailsNamingTheUnitSetting() {
        Activation a = plan(Scope.Service, 262, true, false, UnitChange.NEW_VERSION, ReloadMode.Reload);
        assertThat(a.action()).isEqualTo(Activation.Action.FAIL);
        assertThat(a.message()).contains("RefreshOnReload=").contains("spec.reload: ReloadOrRestart");
    }

    @Test
    void hostScopeReloadsOrRestartsAsAsked() {
        assertThat(plan(Scope.Host, 257, true, false, UnitChange.NEW_VERSION, ReloadMode.Reload).action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Host, 257, true, false, UnitChange.FIRST_ATTACH, ReloadMode.ReloadOrRestart).action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Host, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Restart).action())
                .isEqualTo(Activation.Action.RESTART);
    }
}
