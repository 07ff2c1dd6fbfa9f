package io.confext.agent.healthcheck;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.host.HostFiles;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateLayout;
import io.confext.agent.unithealth.HealthVerdict;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs the bundles' own health checks on the node, beside the agent's passes. After each pass the applier says which
 * bundles have proven a version ({@link #track}); from then on each of their checks runs every periodSeconds on a
 * thread of its own, and when a check starts or stops failing (failureThreshold in a row, see
 * {@link HealthCheckRules}) a pass is asked for. The pass itself decides, under the host lock, with
 * {@link #judge}: the same way back as for a unit that failed inside the window, or Degraded after it. The runs
 * are counted in memory, and a check's failures in a row are also kept on the node ({@link KeptCountsFile}) when
 * they change: a restarted agent goes on counting from where it was for the same revision, so a restart (a crash
 * loop of the agent, an upgrade of the DaemonSet) does not hide a check that keeps failing.
 */
public final class HealthChecks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthChecks.class);
    /** How often the thread looks for a check that is due. */
    static final Duration TICK = Duration.ofMillis(500);

    private final Function<ResolvedHealthCheck, CheckRun> runner;
    private final Clock clock;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile ScheduledThreadPoolExecutor executor;
    /** Set by {@link #close()} before it waits for the thread: a tick that starts late runs no check. */
    private volatile boolean closed;

    private volatile Runnable pass = () -> {};
    /** Null: nothing is kept (tests of other parts, the crash drivers). */
    private final KeptCountsFile keptFile;
    /** Counts a previous run of the agent kept, for bundles not tracked again yet. */
    private final Map<String, KeptCounts.Bundle> restored = new ConcurrentHashMap<>();

    private KeptCounts lastKept;

    /** One bundle's proven revision and its checks' tallies (replaced, never changed in place, but for the tallies). */
    private record Tracked(String digest, List<ResolvedHealthCheck> checks, Map<String, CheckTally> tallies) {}

    /** @param runner runs one check once ({@link CheckRunner#run} on the agent) */
    public HealthChecks(Function<ResolvedHealthCheck, CheckRun> runner, Clock clock) {
        this(runner, clock, null);
    }

    /** @param keptFile where failure counts outlive the agent (null: nowhere); read once, here */
    public HealthChecks(Function<ResolvedHealthCheck, CheckRun> runner, Clock clock, KeptCountsFile keptFile) {
        this.runner = runner;
        this.clock = clock;
        this.keptFile = keptFile;
        this.lastKept = keptFile == null ? KeptCounts.NONE : keptFile.load();
        restored.putAll(lastKept.bundles());
    }

    /** @param stateHostDir the agent's state directory on the host: the counts are kept there */
    public static HealthChecks onHost(long hostPid, String stateHostDir, Clock clock) {
        CheckRunner r = new CheckRunner(hostPid);
        StateLayout layout = new StateLayout(new HostFiles(hostPid), stateHostDir);
        return new HealthChecks(r::run, clock, new KeptCountsFile(layout::healthCheckCounts));
    }

    /** Runs no check: for an applier that is not given any (tests of other parts, the crash drivers). */
    public static HealthChecks none() {
        return new HealthChecks(c -> CheckRun.pass("not run"), Clock.systemUTC());
    }

    /** Starts the thread that runs the checks; {@code pass} asks the work loop for a pass (it coalesces requests). */
    public synchronized void start(Runnable askForPass) {
        this.pass = askForPass;
        if (tracked.values().stream()
                .anyMatch(t ->
                        HealthCheckRules.firstFailing(t.checks(), t.tallies()).isPresent())) {
            askForPass.run(); // a restored failing count tracked before the passes could be asked for
        }
        if (executor != null) {
            return;
        }
        closed = false;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "confext-health-checks");
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ex.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        executor = ex;
    }

    /**
     * After a pass: the bundles whose desired revision is proven (Active or Degraded) are checked from now on, each
     * from zero when its revision is new; the others are not (a version on its way, failed, rolled back, removed).
     */
    public void track(List<DesiredBundleContent> desired, List<BundleState> states) {
        Map<String, BundleState> byName = new HashMap<>();
        states.forEach(s -> byName.put(s.getName(), s));
        Map<String, DesiredBundleContent> wanted = new HashMap<>();
        for (DesiredBundleContent d : desired) {
            BundleState s = byName.get(d.name());
            boolean proven = s != null
                    && (s.getPhase() == BundlePhase.Active || s.getPhase() == BundlePhase.Degraded)
                    && d.content().version().equals(s.getActiveVersion());
            if (proven && !d.content().checks().isEmpty()) {
                wanted.put(d.name(), d);
            }
        }
        tracked.keySet().removeIf(name -> !wanted.containsKey(name));
        Set<String> desiredNames = new HashSet<>();
        desired.forEach(d -> desiredNames.add(d.name()));
        // kept counts of a bundle no longer wanted, or wanted at another revision, are for nothing
        restored.entrySet()
                .removeIf(e -> !desiredNames.contains(e.getKey())
                        || desired.stream()
                                .anyMatch(d -> d.name().equals(e.getKey())
                                        && !d.digest().equals(e.getValue().digest())));
        boolean restoredFailing = false;
        for (Map.Entry<String, DesiredBundleContent> w : wanted.entrySet()) {
            DesiredBundleContent d = w.getValue();
            Tracked was = tracked.get(w.getKey());
            if (was != null && was.digest().equals(d.digest())) {
                continue;
            }
            Map<String, CheckTally> tallies = new ConcurrentHashMap<>(KeptCounts.restore(
                    restored.remove(w.getKey()), d.digest(), d.content().checks()));
            Tracked t = new Tracked(d.digest(), d.content().checks(), tallies);
            tracked.put(w.getKey(), t);
            restoredFailing |=
                    HealthCheckRules.firstFailing(t.checks(), tallies).isPresent();
        }
        keep();
        if (restoredFailing) {
            LOG.infof("A health check was failing when the agent last stopped: asking for a pass");
            pass.run(); // the pass that called this judged without the restored counts
        }
    }

    /** Writes the failure counts when what is kept of them changed; the runs' thread and the passes both call it. */
    private synchronized void keep() {
        if (keptFile == null) {
            return;
        }
        Map<String, KeptCounts.Bundle> now = new HashMap<>(restored);
        tracked.forEach((name, t) -> {
            KeptCounts.Bundle b = KeptCounts.keep(t.digest(), t.checks(), t.tallies());
            if (b != null) {
                now.put(name, b);
            }
        });
        KeptCounts counts = new KeptCounts(now);
        if (counts.countsDiffer(lastKept)) {
            keptFile.save(counts);
            lastKept = counts;
        }
    }

    /** The bundle's failing check now, if it is tracked at this revision and one fails. */
    public Optional<HealthCheckRules.Failure> failing(String bundle, String digest) {
        Tracked t = tracked.get(bundle);
        if (t == null || !t.digest().equals(digest)) {
            return Optional.empty();
        }
        return HealthCheckRules.firstFailing(t.checks(), t.tallies());
    }

    /**
     * The pass's verdict on a proven bundle: its units' verdict, unless one of its checks fails (see
     * {@link HealthCheckRules#combine}).
     */
    /** @param age how long ago the journalled phase began ({@link io.confext.agent.unithealth.PhaseAge}) */
    public HealthVerdict judge(HealthVerdict units, DesiredBundleContent d, BundleRecord journalled, Duration age) {
        BundleRecord.Outcome o = journalled == null ? null : journalled.outcome();
        if (o == null
                || journalled.step() != BundleStep.IDLE
                || !java.util.Objects.equals(journalled.digest(), d.digest())) {
            return units;
        }
        Optional<HealthCheckRules.Failure> failing = failing(d.name(), d.digest());
        if (failing.isEmpty()) {
            return units;
        }
        Map<String, Long> pids = new HashMap<>();
        o.units().forEach(u -> pids.put(u.unit(), u.mainPid()));
        List<String> unitNames = d.content().units();
        return HealthCheckRules.combine(
                units,
                failing,
                new HealthCheckRules.Bundle(
                        o.phase(),
                        o.reason(),
                        age,
                        Duration.ofSeconds(d.minReadySeconds()),
                        pids,
                        unitNames.isEmpty() ? null : unitNames.get(0)));
    }

    /** Runs every check that is due; asks for a pass when a bundle's failing check changed. Never throws. */
    void runDue() {
        try {
            for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
                Tracked t = e.getValue();
                Optional<String> before =
                        HealthCheckRules.firstFailing(t.checks(), t.tallies()).map(HealthCheckRules.Failure::check);
                for (ResolvedHealthCheck c : t.checks()) {
                    Instant now = clock.instant();
                    CheckTally was = t.tallies().getOrDefault(c.name(), CheckTally.NONE);
                    if (HealthCheckRules.due(c, was, now)) {
                        CheckRun run = runner.apply(c);
                        t.tallies().put(c.name(), HealthCheckRules.count(was, run, now));
                        if (!run.passed()) {
                            LOG.debugf("Bundle %s: health check %s failed: %s", e.getKey(), c.name(), run.detail());
                        }
                    }
                }
                Optional<String> after =
                        HealthCheckRules.firstFailing(t.checks(), t.tallies()).map(HealthCheckRules.Failure::check);
                if (!before.equals(after)) {
                    LOG.infof(
                            "Bundle %s: %s; asking for a pass",
                            e.getKey(),
                            after.map(n -> "health check " + n + " fails").orElse("its health checks pass again"));
                    pass.run();
                }
            }
            keep();
        } catch (RuntimeException e) {
            LOG.infof("Running the health checks failed (trying again in %s): %s", TICK, e.getMessage());
        }
    }

    private void tick() {
        if (!closed) {
            runDue();
        }
    }

    /**
     * Stops the thread; once this returns no check runs. It waits without holding this object's lock: a run in
     * progress needs it to keep its counts, and used to wait out the whole timeout (and then run on after close).
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor ex;
        synchronized (this) {
            closed = true;
            ex = executor;
            executor = null;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
