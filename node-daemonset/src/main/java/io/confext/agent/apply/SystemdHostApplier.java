package io.confext.agent.apply;

import io.confext.agent.disk.DiskGuard;
import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.state.HostLock;
import io.confext.agent.state.StateLayout;
import io.confext.agent.state.StateStore;
import io.confext.agent.systemd.DbusSystemd;
import io.confext.agent.systemd.Systemd;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The host side of the agent for one host PID (1 in production, a test host's leader PID in tests).
 *
 * Per bundle: plan (refuse early, touching nothing) -> stage under staging/ -> rename into the {@code .v/} directory
 * -> drop-in + daemon-reload (service scope) or systemd-confext refresh (host scope) -> reload/restart -> prove on
 * the unit's main process -> keep the last good versions. A failure quarantines the new version and proves the
 * previous one again. Every step boundary is journalled in state.json first, so a SIGKILL anywhere is converged
 * on the next call; a unit can only ever see complete versions because versions appear by rename.
 *
 * This class holds the host lock and the D-Bus connection around each call; one converge is a {@link ConvergePass}.
 */
public final class SystemdHostApplier implements HostApplier {
    private final ApplierParts parts;
    private final Supplier<Systemd> systemdFactory;
    /**
     * The main PIDs the restore at start proved to see their version, by unit: every pass takes them as proven, so a
     * reboot's new PIDs are not taken for restarts (set once, before the first pass; the agent's own, not shared).
     */
    private volatile Map<String, Set<Long>> restoredPids = Map.of();

    /** The agent's default settings with its state under {@code stateHostDir}. */
    public SystemdHostApplier(long hostPid, String stateHostDir) {
        this(hostPid, ApplierSettings.defaults().withStateHostDir(stateHostDir));
    }

    public SystemdHostApplier(long hostPid, ApplierSettings settings) {
        this(hostPid, settings, StepObserver.NONE);
    }

    /** @param steps told of every step boundary (the crash tests stop the agent there) */
    public SystemdHostApplier(long hostPid, ApplierSettings settings, StepObserver steps) {
        this(hostPid, settings, steps, HealthChecks.none());
    }

    /** @param healthChecks runs the bundles' own health checks; told after each converge which bundles are proven */
    public SystemdHostApplier(long hostPid, ApplierSettings settings, StepObserver steps, HealthChecks healthChecks) {
        this(hostPid, settings, steps, healthChecks, AgentMetrics.none());
    }

    /** @param metrics told of activations, verifications, drift repairs, failures and the versions kept (docs/metrics.md) */
    public SystemdHostApplier(
            long hostPid,
            ApplierSettings settings,
            StepObserver steps,
            HealthChecks healthChecks,
            AgentMetrics metrics) {
        HostFiles host = new HostFiles(hostPid);
        StateLayout layout = new StateLayout(host, settings.stateHostDir());
        Quarantine quarantine = new Quarantine(layout::quarantine);
        this.parts = new ApplierParts(
                hostPid,
                host,
                layout,
                new StateStore(layout::stateFile), // checked for planted links at every use
                settings,
                steps,
                new RefusedImages(RefusedImages.DEFAULT_HOLD),
                quarantine,
                new NodeChecks(host, settings.trust()),
                healthChecks,
                new VerifiedManifests(layout::verified),
                new StopGuard(),
                new DiskGuard(settings.disk(), layout::staging, settings.stateHostDir() + "/staging", quarantine),
                metrics,
                BootClock.kernel());
        this.systemdFactory = () -> DbusSystemd.connect(hostPid);
    }

    @Override
    public Map<String, String> restoreFromLocalState() {
        ApplierSettings settings = parts.settings();
        try (HostLock lock = HostLock.acquire(parts.layout().lockFile(), settings.lockWait());
                Systemd sd = systemdFactory.get()) {
            HostFacts facts = HostFactsReader.read(sd, parts.host(), settings.agentVersion());
            LocalRestore.Report report = new LocalRestore(
                            parts.host(),
                            parts.hostPid(),
                            parts.layout(),
                            parts.store().load(),
                            parts.verified(),
                            sd,
                            facts,
                            settings,
                            parts.nodeChecks().load())
                    .run();
            restoredPids = report.provenPids();
            return report.restored();
        }
    }

    @Override
    public HostFacts facts() {
        try (Systemd sd = systemdFactory.get()) {
            return HostFactsReader.read(sd, parts.host(), parts.settings().agentVersion());
        }
    }

    @Override
    public List<BundleState> converge(List<DesiredBundleContent> desired) {
        return converge(desired, ProgressListener.NONE);
    }

    @Override
    public List<BundleState> converge(List<DesiredBundleContent> desired, ProgressListener progress) {
        ApplierSettings settings = parts.settings();
        try (HostLock lock = HostLock.acquire(parts.layout().lockFile(), settings.lockWait());
                Systemd sd = systemdFactory.get()) {
            HostFacts facts = HostFactsReader.read(sd, parts.host(), settings.agentVersion());
            List<BundleState> states = new ConvergePass(parts, sd, facts, progress, restoredPids).converge(desired);
            parts.healthChecks().track(desired, states);
            parts.metrics()
                    .converged(
                            states,
                            desired.stream().map(DesiredBundleContent::name).toList());
            return states;
        } catch (ConvergeAbandoned e) {
            throw e;
        } catch (
                HostPaths.Refused
                        e) { // a link planted in the state directory: nothing was written, every bundle says why
            return RefusedHostPath.all(desired, e);
        } catch (RuntimeException e) {
            throw parts.stop()
                    .abandonedIfStopping("the host could not be converged", e); // e.g. the lock wait interrupted
        }
    }

    /** From now on a failure is an abandonment, not a verdict (see {@link StopGuard}). */
    @Override
    public void stopping() {
        parts.stop().stopping();
    }
}
