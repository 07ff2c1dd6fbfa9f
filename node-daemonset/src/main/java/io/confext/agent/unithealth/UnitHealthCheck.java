package io.confext.agent.unithealth;

import io.confext.agent.apply.ViewReader;
import io.confext.agent.host.HostCommands;
import io.confext.agent.host.HostFiles;
import io.confext.agent.state.AgentState;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.systemd.SystemdException;
import io.confext.api.v1alpha1.BundlePhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The health of one journalled bundle's units now: gathers the facts for {@link UnitHealthRules} from the bundle's
 * record and the host, and adds the unit's last journal lines to a loss. Used by the applier's pass (which acts on
 * the verdict) and by the {@link UnitWatcher} (which only asks whether a pass would report something new).
 */
public final class UnitHealthCheck {
    private final UnitObserver observer;

    public UnitHealthCheck(Systemd systemd, HostFiles host, long hostPid) {
        this.observer = new UnitObserver(systemd, new ViewReader(host), new HostCommands(hostPid));
    }

    /**
     * @param window the bundle's health window (minReadySeconds)
     * @return NotWatched unless the record is an idle Active or Degraded bundle; a unit systemd cannot describe right
     *         now counts as unchanged (the next look decides)
     */
    /**
     * @param provenByAgent a unit's main PIDs the agent itself proved (see {@link #provenIn}): its own restart for
     *                      another bundle is no loss
     */
    public HealthVerdict judge(
            BundleRecord rec, Function<String, Set<Long>> provenByAgent, Duration window, Duration age) {
        BundleRecord.Outcome o = rec.outcome();
        if (o == null || rec.step() != BundleStep.IDLE || o.activeVersion() == null) {
            return new HealthVerdict.NotWatched();
        }
        List<UnitHealthRules.Observed> observed = new ArrayList<>();
        try {
            for (String unit : rec.units()) {
                observed.add(observer.observe(unit, rec.name()));
            }
        } catch (SystemdException e) {
            return new HealthVerdict.Unchanged();
        }
        List<UnitHealthRules.Recorded> recorded = o.units().stream()
                .map(u -> new UnitHealthRules.Recorded(u.unit(), u.mainPid(), provenByAgent.apply(u.unit())))
                .toList();
        HealthVerdict v = UnitHealthRules.judge(
                new UnitHealthRules.Input(o.phase(), o.reason(), o.activeVersion(), age, window, recorded, observed));
        return withJournal(v);
    }

    /**
     * A unit's main PIDs that the agent proved for any bundle, as state.json records them (Active, and RolledBack: the
     * PIDs its way back proved); not Degraded ones, which are only what it saw.
     */
    public static Function<String, Set<Long>> provenIn(AgentState state) {
        return unit -> state.bundles().values().stream()
                .map(BundleRecord::outcome)
                .filter(o -> o != null && (o.phase() == BundlePhase.Active || o.phase() == BundlePhase.RolledBack))
                .flatMap(o -> o.units().stream())
                .filter(u -> u.unit().equals(unit) && u.mainPid() > 0)
                .map(BundleRecord.UnitView::mainPid)
                .collect(Collectors.toSet());
    }

    private HealthVerdict withJournal(HealthVerdict v) {
        if (v instanceof HealthVerdict.FailedInWindow f) {
            return new HealthVerdict.FailedInWindow(f.unit(), f.reason(), f.message() + observer.journalTail(f.unit()));
        }
        if (v instanceof HealthVerdict.Degraded d && !UnitHealthRules.UNIT_NO_LONGER_SEES.equals(d.reason())) {
            return new HealthVerdict.Degraded(
                    d.unit(), d.reason(), d.message() + observer.journalTail(d.unit()), d.mainPids());
        }
        return v;
    }
}
