package io.confext.operator.bundle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Gauge {@code confext_bundle_nodes{bundle, phase}}: how many nodes report each phase for each bundle. */
public final class RolloutMetrics {
    public enum Phase { NONE, PENDING, FETCHING, VERIFIED, ACTIVE, DEGRADED, FAILED, ROLLED_BACK, REMOVED }

    private final MeterRegistry registry;
    private final Map<String, Map<Phase, AtomicInteger>> gauges = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String bundle, Map<Phase, Integer> counts) {
        Map<Phase, AtomicInteger> g = gauges.computeIfAbsent(bundle, b -> {
            Map<Phase, AtomicInteger> m = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("confext.bundle.nodes", v, AtomicInteger::get)
                        .description("nodes per phase of a bundle, as reported by the agents")
                        .tag("bundle", b).tag("phase", p.name()).register(registry);
                m.put(p, v);
            }
            return m;
        });
        for (Phase p : Phase.values()) {
            g.get(p).set(counts.getOrDefault(p, 0));
        }
    }

    public void forget(String bundle) {
        Map<Phase, AtomicInteger> g = gauges.remove(bundle);
        if (g != null) {
            registry.getMeters().stream()
                    .filter(m -> m.getId().getName().equals("confext.bundle.nodes") && bundle.equals(m.getId().getTag("bundle")))
                    .forEach(registry::remove);
        }
    }
}
