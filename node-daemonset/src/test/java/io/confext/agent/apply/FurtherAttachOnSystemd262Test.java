package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.unithealth.UnitWatcher;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testsupport.tier.HostTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #19 on systemd 262: a further bundle on a unit that already runs with one is attached, and taken off again,
 * by reload with the same main process; the first attachment of a running unit restarts it, said before it happens
 * (RestartPlanned); with {@code firstAttach: WaitForUnitRestart} the agent leaves the unit running until someone else
 * restarts it, and the unit watcher wakes the pass that proves it. On a plain-root host: see {@link PlainRootHost}.
 */
@HostTest
class FurtherAttachOnSystemd262Test {
    private static final String STATE = "/var/lib/confext-operator";
    private static PlainRootHost host;

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
    }

    @AfterAll
    static void shutdown() {
        if (host != null) {
            host.close();
        }
    }

    private static DesiredBundleContent bundle(String name, String version, FirstAttach first, String unit) {
        return Bundles.own(name, version, ReloadMode.Reload, first, unit);
    }

    private record Report(String bundle, BundlePhase phase, Reason reason, String message, long mainPidThen) {}

    private static BundleState stateOf(List<BundleState> states, String bundle) {
        return states.stream()
                .filter(s -> s.getName().equals(bundle))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSecondBundleAttachesAndDetachesByReloadAfterTheFirstAttachmentsAnnouncedRestart() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        long started = host.mainPid(unit);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        List<Report> reports = new CopyOnWriteArrayList<>();
        ProgressListener listener = (d, phase, reason, message) ->
                reports.add(new Report(d.name(), phase, reason, message, host.mainPid(unit)));

        // the first attachment: the one restart, reported while the old main process still runs
        BundleState first =
                stateOf(applier.converge(List.of(bundle("base", "1", FirstAttach.Restart, unit)), listener), "base");
        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(BundlePhase.Active);
        long afterFirst = host.mainPid(unit);
        assertThat(afterFirst)
                .as("the first extension of a running unit needs its start")
                .isNotEqualTo(started);
        Report planned = reports.stream()
                .filter(r -> r.reason() == Reason.RestartPlanned)
                .findFirst()
                .orElseThrow();
        assertThat(planned.bundle()).isEqualTo("base");
        assertThat(planned.phase()).isEqualTo(BundlePhase.Pending);
        assertThat(planned.message()).contains(unit).contains("runs without extensions");
        assertThat(planned.mainPidThen()).as("reported before the restart").isEqualTo(started);

        // a second bundle: reload, same main process, which then sees both
        reports.clear();
        List<BundleState> both = applier.converge(
                List.of(
                        bundle("base", "1", FirstAttach.Restart, unit),
                        bundle("extra", "1", FirstAttach.Restart, unit)),
                listener);
        BundleState extra = stateOf(both, "extra");
        assertThat(extra.getPhase()).as(extra.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(stateOf(both, "base").getPhase()).isEqualTo(BundlePhase.Active);
        assertThat(host.mainPid(unit)).as("attached by reload, not restarted").isEqualTo(afterFirst);
        assertThat(host.mainPidSees(unit, "extra/extra.conf")).contains("extra=1\n");
        assertThat(host.mainPidSees(unit, "base/base.conf")).contains("base=1\n");
        assertThat(reports).noneMatch(r -> r.reason() == Reason.RestartPlanned);

        // a new version of the second bundle, then taking it off: reloads, the same main process throughout
        BundleState extra2 = stateOf(
                applier.converge(List.of(
                        bundle("base", "1", FirstAttach.Restart, unit),
                        bundle("extra", "2", FirstAttach.Restart, unit))),
                "extra");
        assertThat(extra2.getPhase()).as(extra2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(host.mainPidSees(unit, "extra/extra.conf")).contains("extra=2\n");
        List<BundleState> detached = applier.converge(List.of(bundle("base", "1", FirstAttach.Restart, unit)));
        BundleState removed = stateOf(detached, "extra");
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(host.mainPid(unit)).as("detached by reload, not restarted").isEqualTo(afterFirst);
        assertThat(host.mainPidSees(unit, "extra/extra.conf")).isEmpty();
        assertThat(host.mainPidSees(unit, "base/base.conf")).contains("base=1\n");

        // taking off the last bundle is the other restart a reload cannot replace
        BundleState gone = stateOf(applier.converge(List.of()), "base");
        assertThat(gone.getPhase()).as(gone.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(host.mainPid(unit)).isNotEqualTo(afterFirst);
        assertThat(host.mainPidSees(unit, "base/base.conf")).isEmpty();
    }

    @Test
    void aBundleThatWaitsForTheUnitsRestartIsProvenAfterSomeoneElseRestartsIt() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        long started = host.mainPid(unit);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        DesiredBundleContent waiting = bundle("patient", "1", FirstAttach.WaitForUnitRestart, unit);

        BundleState w = stateOf(applier.converge(List.of(waiting)), "patient");
        assertThat(w.getPhase()).as(w.getMessage()).isEqualTo(BundlePhase.Pending);
        assertThat(w.getReason()).isEqualTo("WaitingForUnitRestart");
        assertThat(w.getMessage()).contains(unit).contains("systemctl restart " + unit);
        assertThat(host.mainPid(unit)).as("left running").isEqualTo(started);
        assertThat(host.mainPidSees(unit, "patient/patient.conf")).isEmpty();
        BundleState again = stateOf(applier.converge(List.of(waiting)), "patient");
        assertThat(again.getReason())
                .as("a pass before the restart keeps waiting")
                .isEqualTo("WaitingForUnitRestart");
        assertThat(host.mainPid(unit)).isEqualTo(started);

        CountDownLatch passAsked = new CountDownLatch(1);
        try (UnitWatcher watcher = new UnitWatcher(
                host.leaderPid(), STATE, passAsked::countDown, Duration.ofSeconds(2), Clock.systemUTC())) {
            watcher.start();
            host.execOk("systemctl", "restart", unit); // the restart by someone else
            assertThat(passAsked.await(120, TimeUnit.SECONDS))
                    .as("the unit watcher asks for a pass")
                    .isTrue();
        }
        assertThat(host.mainPid(unit)).isNotEqualTo(started);
        BundleState proven = stateOf(applier.converge(List.of(waiting)), "patient");
        assertThat(proven.getPhase()).as(proven.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(proven.getReason()).isEqualTo("Proven");
        assertThat(proven.getActiveVersion()).isEqualTo("1");
        assertThat(host.mainPidSees(unit, "patient/patient.conf")).contains("patient=1\n");
        assertThat(stateOf(applier.converge(List.of()), "patient").getPhase()).isEqualTo(BundlePhase.Removed);
    }

    @Test
    void aFurtherBundleThatOverlaysAPathOfAnotherRestartsSoThePriorityOrderHolds() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        DesiredBundleContent base = bundle("base", "1", FirstAttach.Restart, unit);
        assertThat(stateOf(applier.converge(List.of(base)), "base").getPhase()).isEqualTo(BundlePhase.Active);
        long pid = host.mainPid(unit);
        // "over" ships base's own path with a higher priority: systemd's reload would stack it below base
        io.confext.api.revision.RevisionContent c = new io.confext.api.revision.RevisionContent(
                "1",
                io.confext.api.v1alpha1.Scope.Service,
                List.of(unit),
                io.confext.api.revision.ResolvedSource.ofFiles(
                        List.of(new io.confext.api.revision.ResolvedFile("base/base.conf", "from=over\n", "0644"))),
                null,
                ReloadMode.Reload,
                10);
        DesiredBundleContent over = new DesiredBundleContent("over", "over-1", "sha256:over1", false, c);
        BundleState s = stateOf(applier.converge(List.of(base, over)), "over");
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(host.mainPid(unit)).as("restarted (ReloadWouldReorder)").isNotEqualTo(pid);
        assertThat(host.mainPidSees(unit, "base/base.conf")).contains("from=over\n");
        assertThat(applier.converge(List.of()))
                .extracting(BundleState::getPhase)
                .containsOnly(BundlePhase.Removed);
    }
}
