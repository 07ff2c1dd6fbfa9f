package io.confext.operator.bundle;

import io.confext.operator.rollout.RolloutPlan;
import io.confext.operator.rollout.RolloutState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The operator's per-bundle meters (docs/metrics.md): nodes per reported phase, the rollout's progress (targeted,
 * updated, ready nodes, its state), and counters of what a pass started: waves, halts, rollbacks, completions. Only
 * label is the bundle (and a bounded enum), so the page grows with the bundles, never with the nodes. Fed by
 * {@link BundleReconciler} after it wrote a pass's node entries, from the same facts as its events.
 */
public final class RolloutMetrics {
    public enum Phase {
        NONE,
        PENDING,
        FETCHING,
        VERIFIED,
        ACTIVE,
        DEGRADED,
        FAILED,
        ROLLED_BACK,
        REMOVED
    }

    static final String NODES = "confext.bundle.nodes";
    static final String TARGETED = "confext.rollout.targeted.nodes";
    static final String UPDATED = "confext.rollout.updated.nodes";
    static final String READY = "confext.rollout.ready.nodes";
    static final String STATE = "confext.rollout.state";
    static final String WAVES = "confext.rollout.waves.started";
    static final String WAVE_NODES = "confext.rollout.wave.nodes";
    static final String HALTS = "confext.rollout.halts";
    static final String ROLLBACKS = "confext.rollout.rollbacks";
    static final String COMPLETIONS = "confext.rollout.completions";

    private final MeterRegistry registry;
    private final Map<String, BundleMeters> bundles = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One bundle's meters, registered on its first pass. */
    private final class BundleMeters {
        final Map<Phase, AtomicInteger> phases = new EnumMap<>(Phase.class);
        final Map<RolloutState, AtomicInteger> states = new EnumMap<>(RolloutState.class);
        final AtomicInteger targeted = new AtomicInteger();
        final AtomicInteger updated = new AtomicInteger();
        final AtomicInteger ready = new AtomicInteger();
        final Counter waves;
        final Counter waveNodes;
        final Counter halts;
        final Counter rollbacks;
        final Counter completions;

        BundleMeters(String bundle) {
            for (Phase p : Phase.values()) {
                phases.put(p, new AtomicInteger());
                Gauge.builder(NODES, () -> read(bundle, m -> m.phases.get(p)))
                        .description("nodes per phase of a bundle, as reported by the agents")
                        .tag("bundle", bundle)
                        .tag("phase", p.name())
                        .register(registry);
            }
            for (RolloutState s : RolloutState.values()) {
                states.put(s, new AtomicInteger());
                Gauge.builder(STATE, () -> read(bundle, m -> m.states.get(s)))
                        .description("1 for the state the bundle's rollout is in, else 0")
                        .tag("bundle", bundle)
                        .tag("state", s.name())
                        .register(registry);
            }
            gauge(TARGETED, bundle, m -> m.targeted, "nodes the bundle's rollout targets");
            gauge(UPDATED, bundle, m -> m.updated, "targeted nodes that run the target revision");
            gauge(READY, bundle, m -> m.ready, "targeted nodes proven on the target revision for minReadySeconds");
            waves = counter(WAVES, bundle, "waves started: passes that moved at least one node to the target");
            waveNodes = counter(WAVE_NODES, bundle, "nodes moved to the target by the waves");
            halts = counter(HALTS, bundle, "rollouts that halted on a failed node (onFailure Halt)");
            rollbacks = counter(ROLLBACKS, bundle, "rollbacks started on a failed node (onFailure Rollback)");
            completions = counter(COMPLETIONS, bundle, "rollouts that reached every targeted node");
        }

        private void gauge(
                String name, String bundle, Function<BundleMeters, AtomicInteger> value, String description) {
            Gauge.builder(name, () -> read(bundle, value))
                    .description(description)
                    .tag("bundle", bundle)
                    .register(registry);
        }

        private Counter counter(String name, String bundle, String description) {
            return Counter.builder(name)
                    .description(description)
                    .tag("bundle", bundle)
                    .register(registry);
        }
    }

    /**
     * A gauge's value, looked up when it is scraped: a registry returns the meter first registered under an id, so a
     * gauge must not hold the value object of one BundleMeters (a bundle forgotten and seen again, or a registration
     * begun twice, would leave it reading a discarded one).
     */
    private int read(String bundle, Function<BundleMeters, AtomicInteger> value) {
        BundleMeters m = bundles.get(bundle);
        return m == null ? 0 : value.apply(m).get();
    }

    private BundleMeters of(String bundle) {
        return bundles.computeIfAbsent(bundle, BundleMeters::new);
    }

    /** The nodes' reported phases of a bundle. */
    public void record(String bundle, Map<Phase, Integer> counts) {
        BundleMeters m = of(bundle);
        for (Phase p : Phase.values()) {
            m.phases.get(p).set(counts.getOrDefault(p, 0));
        }
    }

    /** A wave started: {@code nodes} nodes were assigned the target by this reconcile's node writes. */
    public void waveStarted(String bundle, int nodes) {
        BundleMeters m = of(bundle);
        m.waves.increment();
        m.waveNodes.increment(nodes);
    }

    /**
     * A pass's plan, with the status write that records it. {@code newlyHalted} and {@code complete...} are the same
     * judgements the pass's events make (an event is not sent twice for one halt, neither is a halt counted twice).
     */
    public void planned(String bundle, RolloutPlan plan, boolean newlyHalted, boolean newlyComplete) {
        BundleMeters m = of(bundle);
        // counters before gauges: a scrape that sees a state sees what was counted on the way to it
        if (newlyHalted) {
            m.halts.increment();
        }
        if (plan.rollbackStarted()) {
            m.rollbacks.increment();
        }
        if (newlyComplete) {
            m.completions.increment();
        }
        m.targeted.set(plan.targeted());
        m.updated.set(plan.updated());
        m.ready.set(plan.ready());
        m.states.forEach((s, v) -> v.set(s == plan.state() ? 1 : 0));
    }

    /** The bundle is gone: its meters leave the page. */
    public void forget(String bundle) {
        if (bundles.remove(bundle) != null) {
            registry.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("confext.")
                            && bundle.equals(m.getId().getTag("bundle")))
                    .forEach(registry::remove);
        }
    }
}
