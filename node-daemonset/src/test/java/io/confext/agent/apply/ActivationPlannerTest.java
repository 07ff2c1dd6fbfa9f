package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActivationPlannerTest {
    private final ActivationPlanner planner = new ActivationPlanner();

    private Activation plan(
            Scope scope, int systemd, boolean active, boolean refreshes, UnitChange change, ReloadMode mode) {
        return planner.plan(
                new ActivationPlanner.Input(scope, systemd, active, refreshes, change, mode, "demo.service"));
    }

    @Test
    void unchangedUnitIsLeftAlone() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.UNCHANGED, ReloadMode.Restart)
                        .action())
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
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.UNPROVEN, ReloadMode.None)
                        .reason())
                .isEqualTo("ReloadModeNone");
        assertThat(plan(Scope.Service, 262, false, true, UnitChange.UNPROVEN, ReloadMode.Reload)
                        .reason())
                .isEqualTo("UnitInactive");
    }

    @Test
    void detachRestarts() {
        assertThat(plan(Scope.Service, 257, true, false, UnitChange.DETACH, ReloadMode.Reload)
                        .action())
                .isEqualTo(Activation.Action.RESTART);
    }

    @Test
    void restartModeRestartsForANewVersion() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Restart)
                        .action())
                .isEqualTo(Activation.Action.RESTART);
    }

    @Test
    void newVersionReloadsWhereTheHostAndUnitRefresh() {
        assertThat(plan(Scope.Service, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Reload)
                        .action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Service, 258, true, true, UnitChange.NEW_VERSION, ReloadMode.ReloadOrRestart)
                        .action())
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
        assertThat(plan(Scope.Host, 257, true, false, UnitChange.NEW_VERSION, ReloadMode.Reload)
                        .action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Host, 257, true, false, UnitChange.FIRST_ATTACH, ReloadMode.ReloadOrRestart)
                        .action())
                .isEqualTo(Activation.Action.RELOAD);
        assertThat(plan(Scope.Host, 262, true, true, UnitChange.NEW_VERSION, ReloadMode.Restart)
                        .action())
                .isEqualTo(Activation.Action.RESTART);
    }

    private Activation plan(int systemd, boolean refreshes, UnitChange change, ReloadMode mode, FirstAttach first) {
        return planner.plan(new ActivationPlanner.Input(
                Scope.Service, systemd, true, refreshes, change, mode, first, "demo.service"));
    }

    @Test
    void aFurtherBundleOnAUnitThatRunsWithExtensionsIsPlannedLikeANewVersion() {
        for (UnitChange c : new UnitChange[] {UnitChange.FURTHER_ATTACH, UnitChange.PARTIAL_DETACH}) {
            Activation reload = plan(Scope.Service, 262, true, true, c, ReloadMode.Reload);
            assertThat(reload.action()).as("%s", c).isEqualTo(Activation.Action.RELOAD);
            assertThat(reload.reason()).isEqualTo("Reload");
            assertThat(plan(Scope.Service, 262, true, true, c, ReloadMode.Restart)
                            .reason())
                    .isEqualTo("Restart");
            Activation old = plan(Scope.Service, 257, true, false, c, ReloadMode.Reload);
            assertThat(old.action()).isEqualTo(Activation.Action.FAIL);
            assertThat(old.reason()).isEqualTo("ReloadCannotRefresh");
            assertThat(plan(Scope.Service, 257, true, false, c, ReloadMode.ReloadOrRestart)
                            .reason())
                    .isEqualTo("RestartInsteadOfReload");
            assertThat(plan(Scope.Service, 262, true, false, c, ReloadMode.Reload)
                            .message())
                    .contains("RefreshOnReload=");
            assertThat(plan(Scope.Service, 262, true, true, c, ReloadMode.None).reason())
                    .isEqualTo("ReloadModeNone");
            assertThat(plan(Scope.Service, 262, false, true, c, ReloadMode.Reload)
                            .reason())
                    .isEqualTo("UnitInactive");
            assertThat(plan(262, true, c, ReloadMode.Reload, FirstAttach.WaitForUnitRestart)
                            .action())
                    .as("only a first attachment waits")
                    .isEqualTo(Activation.Action.RELOAD);
        }
    }

    @Test
    void firstAttachmentWaitsForSomeoneElsesRestartWhenTheBundleAsks() {
        Activation a =
                plan(262, true, UnitChange.FIRST_ATTACH, ReloadMode.ReloadOrRestart, FirstAttach.WaitForUnitRestart);
        assertThat(a.action()).isEqualTo(Activation.Action.NONE);
        assertThat(a.reason()).isEqualTo("WaitingForUnitRestart");
        assertThat(a.message()).contains("demo.service").contains("systemctl restart demo.service");
        assertThat(plan(262, true, UnitChange.FIRST_ATTACH, ReloadMode.Reload, FirstAttach.Restart)
                        .reason())
                .isEqualTo("NamespaceSetupAtStart");
        assertThat(plan(262, true, UnitChange.FIRST_ATTACH, ReloadMode.None, FirstAttach.WaitForUnitRestart)
                        .reason())
                .as("spec.reload None never acts, whatever firstAttach says")
                .isEqualTo("ReloadModeNone");
        assertThat(plan(262, true, UnitChange.DETACH, ReloadMode.Reload, FirstAttach.WaitForUnitRestart)
                        .action())
                .as("taking off the last bundle is no first attachment")
                .isEqualTo(Activation.Action.RESTART);
        assertThat(planner.plan(new ActivationPlanner.Input(
                                Scope.Service,
                                262,
                                false,
                                true,
                                UnitChange.FIRST_ATTACH,
                                ReloadMode.Reload,
                                FirstAttach.WaitForUnitRestart,
                                "demo.service"))
                        .reason())
                .as("a stopped unit sees it when it starts")
                .isEqualTo("UnitInactive");
    }

    @Test
    void theFirstAttachmentsRestartSaysWhyAndHowToAvoidIt() {
        Activation a = plan(262, true, UnitChange.FIRST_ATTACH, ReloadMode.Reload, FirstAttach.Restart);
        assertThat(a.message()).contains("runs without extensions").contains("spec.firstAttach: WaitForUnitRestart");
        assertThat(plan(262, true, UnitChange.DETACH, ReloadMode.Reload, FirstAttach.Restart)
                        .message())
                .contains("last extension");
    }

    @Test
    void theChangeIsJudgedFromWhatTheMainProcessSees() {
        SeenVersion none = SeenVersion.absent();
        SeenVersion one = new SeenVersion("1", true, "sees 1");
        assertThat(ActivationPlanner.change(none, "1", false, false, false)).isEqualTo(UnitChange.FIRST_ATTACH);
        assertThat(ActivationPlanner.change(none, "1", false, false, true)).isEqualTo(UnitChange.FURTHER_ATTACH);
        assertThat(ActivationPlanner.change(one, "2", false, false, false)).isEqualTo(UnitChange.NEW_VERSION);
        assertThat(ActivationPlanner.change(one, "1", false, false, false)).isEqualTo(UnitChange.UNCHANGED);
        assertThat(ActivationPlanner.change(one, "1", false, true, true)).isEqualTo(UnitChange.UNPROVEN);
        assertThat(ActivationPlanner.change(one, null, true, false, false)).isEqualTo(UnitChange.DETACH);
        assertThat(ActivationPlanner.change(one, null, true, false, true)).isEqualTo(UnitChange.PARTIAL_DETACH);
        assertThat(ActivationPlanner.change(none, null, true, false, true)).isEqualTo(UnitChange.UNCHANGED);
        assertThat(ActivationPlanner.change(none, "1", true, false, false)).isEqualTo(UnitChange.DETACH);
        assertThat(ActivationPlanner.change(none, "1", true, false, true)).isEqualTo(UnitChange.PARTIAL_DETACH);
        assertThat(ActivationPlanner.change(new SeenVersion("1", false, "a file differs"), "1", false, false, false))
                .as("an incomplete view of the wanted version")
                .isEqualTo(UnitChange.NEW_VERSION);
    }

    @Test
    void aUnitRunsWithExtensionsWhenItSeesOnesTheHostDoesNot() {
        assertThat(ActivationPlanner.runsWithOtherExtensions(Set.of("other"), Set.of(), "demo"))
                .isTrue();
        assertThat(ActivationPlanner.runsWithOtherExtensions(Set.of("demo"), Set.of(), "demo"))
                .as("only the bundle itself: taking it off empties the stack")
                .isFalse();
        assertThat(ActivationPlanner.runsWithOtherExtensions(Set.of("hostwide"), Set.of("hostwide"), "demo"))
                .as("a host-wide confext is the host's /etc, not a unit stack")
                .isFalse();
        assertThat(ActivationPlanner.runsWithOtherExtensions(Set.of(), Set.of("hostwide"), "demo"))
                .isFalse();
    }

    @Test
    void aFurtherBundleRestartsWhereTheUnitsBundlesShipTheSamePath() {
        for (UnitChange c : new UnitChange[] {UnitChange.FURTHER_ATTACH, UnitChange.PARTIAL_DETACH}) {
            Activation a = planner.plan(new ActivationPlanner.Input(
                    Scope.Service, 262, true, true, c, ReloadMode.Reload, FirstAttach.Restart, true, "demo.service"));
            assertThat(a.action()).as("%s", c).isEqualTo(Activation.Action.RESTART);
            assertThat(a.reason()).isEqualTo("ReloadWouldReorder");
            assertThat(a.message()).contains("same paths").contains("priority order");
            assertThat(planner.plan(new ActivationPlanner.Input(
                                    Scope.Service,
                                    262,
                                    true,
                                    true,
                                    c,
                                    ReloadMode.None,
                                    FirstAttach.Restart,
                                    true,
                                    "demo.service"))
                            .reason())
                    .isEqualTo("ReloadModeNone");
            assertThat(planner.plan(new ActivationPlanner.Input(
                                    Scope.Service,
                                    262,
                                    true,
                                    true,
                                    c,
                                    ReloadMode.Restart,
                                    FirstAttach.Restart,
                                    true,
                                    "demo.service"))
                            .reason())
                    .isEqualTo("Restart");
        }
    }

    @Test
    void layersOverlapWhenTwoShipOnePath() {
        assertThat(ActivationPlanner.overlap(List.of(Set.of("demo/demo.conf"), Set.of("demo/demo.conf", "x"))))
                .isTrue();
        assertThat(ActivationPlanner.overlap(List.of(Set.of("a/a.conf"), Set.of("b/b.conf"))))
                .isFalse();
        assertThat(ActivationPlanner.overlap(List.of(Set.of("a/a.conf")))).isFalse();
        assertThat(ActivationPlanner.overlap(List.of())).isFalse();
    }
}
