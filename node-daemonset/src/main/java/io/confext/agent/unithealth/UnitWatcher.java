package io.confext.agent.unithealth;

import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.state.AgentState;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.StateLayout;
import io.confext.agent.state.StateStore;
import io.confext.agent.systemd.DbusSystemd;
import io.confext.api.status.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Watches the units of the bundles the agent proved (Active or Degraded in its journal, state.json) and asks for a pass
 * as soon as one looks different from what the status says: failed, stopped, restarted with another main process, no
 * longer seeing the version, or healthy again long enough to be Active; and the units of a bundle that waits for
 * someone else's restart of them (WaitingForUnitRestart), as soon as one runs with a new main process. Two ways in: systemd's
 * {@code PropertiesChanged} signals for those units on a long-lived bus connection (within about a second), and a
 * periodic look that also covers a missed signal and reconnects when the bus dropped. The pass itself (the applier,
 * under the host lock) decides and reports; this class only wakes it, at most once per {@link #RETRIGGER_AFTER} for
 * the same finding, so a finding the pass does not act on (a longer health window) cannot make a pass loop.
 */
public final class UnitWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnitWatcher.class);
    static final Duration RETRIGGER_AFTER = Duration.ofSeconds(30);
    /** Signals come in bursts (a stop changes several properties): one look after the burst. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    private final long hostPid;
    private final HostFiles host;
    private final StateStore store;
    private final Path stateFile;
    /** When state.json was last read for {@link #watchedPaths}; touched by the signal thread only. */
    private FileTime stateModified;

    private final Supplier<DbusSystemd> connect;
    private final Runnable pass;
    private final Duration period;
    private final Clock clock;
    private final BootClock bootClock = BootClock.kernel();
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicBoolean lookQueued = new AtomicBoolean();
    /** Touched only on the executor's thread. */
    private DbusSystemd bus;

    private AutoCloseable signals;
    private volatile Set<String> watchedPaths = Set.of();
    private final Map<String, Instant> triggered = new HashMap<>();

    /**
     * @param stateHostDir the agent's state directory on the host (its state.json lists the proven bundles)
     * @param pass         asks the work loop for a pass (it coalesces requests)
     * @param period       the fallback look's period
     */
    public UnitWatcher(long hostPid, String stateHostDir, Runnable pass, Duration period, Clock clock) {
        this.hostPid = hostPid;
        this.host = new HostFiles(hostPid);
        this.stateFile = new StateLayout(host, stateHostDir).stateFile();
        this.store = new StateStore(stateFile);
        this.connect = () -> DbusSystemd.connect(hostPid);
        this.pass = pass;
        this.period = period;
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "confext-unit-watch");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::look, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From the bus's signal thread: a unit changed; if it is watched, look soon (once per burst). */
    private void changed(String path) {
        if (!watchedPaths.contains(path) && !refreshWatched().contains(path)) {
            return;
        }
        if (lookQueued.compareAndSet(false, true)) {
            executor.schedule(
                    () -> {
                        lookQueued.set(false);
                        look();
                    },
                    SETTLE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The watched units' object paths, read again when state.json changed since the last read (a pass proved a new
     * unit): a signal for a unit proven after the last look is not dropped.
     */
    private Set<String> refreshWatched() {
        try {
            FileTime modified = Files.getLastModifiedTime(stateFile);
            if (!modified.equals(stateModified)) {
                stateModified = modified;
                watchedPaths = pathsOf(store.load());
            }
        } catch (IOException | RuntimeException e) {
            // no state yet, or a write in flight: the periodic look reads it again
        }
        return watchedPaths;
    }

    private static Set<String> pathsOf(AgentState state) {
        return state.bundles().values().stream()
                .flatMap(r -> r.units().stream())
                .map(DbusSystemd::unitPath)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** One look at every watched unit; never throws (the next look tries again). */
    void look() {
        try {
            if (bus == null || !bus.connected()) {
                reconnect();
            }
            AgentState state = store.load();
            watchedPaths = pathsOf(state);
            UnitHealthCheck check = new UnitHealthCheck(bus, host, hostPid);
            Instant now = clock.instant();
            for (BundleRecord rec : state.bundles().values()) {
                if (waitedForRestartHappened(rec, now)) {
                    continue;
                }
                // the window is the pass's business: any loss is news for an Active bundle
                Duration age = rec.outcome() == null
                        ? null
                        : PhaseAge.of(rec.outcome().since(), rec.outcome().sinceBoot(), bootClock.now(), now);
                HealthVerdict v = check.judge(rec, UnitHealthCheck.provenIn(state), Duration.ZERO, age);
                if (v instanceof HealthVerdict.NotWatched || v instanceof HealthVerdict.Unchanged) {
                    continue;
                }
                String finding = rec.name() + "/" + v.getClass().getSimpleName() + "/"
                        + rec.outcome().since();
                Instant last = triggered.get(finding);
                if (last == null || !now.isBefore(last.plus(RETRIGGER_AFTER))) {
                    triggered.put(finding, now);
                    LOG.infof("Units of bundle %s changed (%s): asking for a pass", rec.name(), describe(v));
                    pass.run();
                }
            }
            triggered.values().removeIf(t -> now.isAfter(t.plus(RETRIGGER_AFTER.multipliedBy(4))));
        } catch (RuntimeException e) {
            LOG.infof("Looking at the watched units failed (trying again in %s): %s", period, e.getMessage());
            dropBus();
        }
    }

    /** A bundle waiting for its unit's restart by someone else: restarted now, so a pass proves it (see {@link WaitingForRestartRules}). */
    private boolean waitedForRestartHappened(BundleRecord rec, Instant now) {
        if (rec.outcome() == null
                || !Reason.WaitingForUnitRestart.name().equals(rec.outcome().reason())) {
            return false;
        }
        Map<String, Long> pids = new HashMap<>();
        for (String unit : rec.units()) {
            pids.put(unit, bus.unit(unit).mainPid());
        }
        if (WaitingForRestartRules.restarted(rec.outcome(), pids)) {
            String finding = rec.name() + "/restarted/" + pids;
            if (triggered.putIfAbsent(finding, now) == null) {
                LOG.infof(
                        "A unit of bundle %s, which waits for its restart, runs with a new main process: asking for a pass",
                        rec.name());
                pass.run();
            }
        }
        return true;
    }

    private static String describe(HealthVerdict v) {
        if (v instanceof HealthVerdict.FailedInWindow f) {
            return f.reason() + ": " + f.message();
        }
        if (v instanceof HealthVerdict.Degraded d) {
            return d.reason() + ": " + d.message();
        }
        return "healthy again";
    }

    private void reconnect() {
        dropBus();
        bus = connect.get();
        signals = bus.onUnitPropertiesChanged(this::changed);
        LOG.debug("Watching unit property changes on the host's system bus");
    }

    private void dropBus() {
        if (signals != null) {
            try {
                signals.close();
            } catch (Exception ignored) {
                // the connection goes next anyway
            }
            signals = null;
        }
        if (bus != null) {
            bus.close();
            bus = null;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropBus(); // after the executor: the bus is touched only on its thread
    }
}
