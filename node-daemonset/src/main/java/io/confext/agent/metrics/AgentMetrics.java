package io.confext.agent.metrics;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's meters, scraped at {@code /q/metrics} on its probe port (docs/metrics.md): activations and image
 * verifications (how long, how many bytes), failures by reason, drift repairs, versions kept and quarantined. Labels are
 * the bundle and a catalogue reason or a two-valued result: bounded by the bundles on the node. The host side records at
 * its I/O edges (the applier, the image stager); the planners and rules never see this class.
 */
public final class AgentMetrics {
    static final String ACTIVATION = "confext.agent.activation";
    static final String VERIFICATION = "confext.agent.verification";
    static final String VERIFIED_BYTES = "confext.agent.verified.bytes";
    static final String FAILURES = "confext.agent.failures";
    static final String DRIFT_REPAIRS = "confext.agent.drift.repairs";
    static final String VERSIONS_KEPT = "confext.agent.versions.kept";
    static final String VERSIONS_QUARANTINED = "confext.agent.versions.quarantined";

    /** The phases that are a verdict against the version (or its unit): each new one is a failure. */
    private static final Set<BundlePhase> FAILED =
            EnumSet.of(BundlePhase.Failed, BundlePhase.RolledBack, BundlePhase.Degraded);

    /** What a bundle last reported as a failure: the same one on the next pass is not counted again. */
    private record Verdict(BundlePhase phase, String reason, String digest) {}

    private final MeterRegistry registry;
    private final Map<String, Verdict> lastFailure = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> kept = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> quarantined = new ConcurrentHashMap<>();

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records nothing anywhere: for the host side run without the agent (tests, the offline verifier). */
    public static AgentMetrics none() {
        return new AgentMetrics(new CompositeMeterRegistry());
    }

    /** A version was staged, attached and its units acted on; {@code proven}: every unit was proven to see it. */
    public void activated(String bundle, boolean proven, Duration took) {
        Timer.builder(ACTIVATION)
                .description("activations of a version: staging, attaching, reload or restart, proof")
                .tag("bundle", bundle)
                .tag("result", proven ? "proven" : "failed")
                .register(registry)
                .record(took);
    }

    /** A downloaded image went through every check of the verifier; {@code bytes}: the image's size. */
    public void verified(String bundle, boolean accepted, Duration took, long bytes) {
        Timer.builder(VERIFICATION)
                .description("verifications of a downloaded image (sha256, dm-verity, signature, content)")
                .tag("bundle", bundle)
                .tag("result", accepted ? "accepted" : "refused")
                .register(registry)
                .record(took);
        Counter.builder(VERIFIED_BYTES)
                .baseUnit("bytes")
                .description("bytes of images read by the verifier")
                .tag("bundle", bundle)
                .register(registry)
                .increment(bytes);
    }

    /** A proven version's staged content or drop-in no longer matched the revision and was written again. */
    public void driftRepaired(String bundle) {
        Counter.builder(DRIFT_REPAIRS)
                .description("drift found and repaired from the revision")
                .tag("bundle", bundle)
                .register(registry)
                .increment();
    }

    /** What the bundle keeps on this host now: versions in its .v/ directory and in its quarantine. */
    public void versions(String bundle, int keptVersions, int quarantinedVersions) {
        gauge(kept, VERSIONS_KEPT, bundle, "versions of the bundle in its .v/ directory")
                .set(keptVersions);
        gauge(quarantined, VERSIONS_QUARANTINED, bundle, "failed versions of the bundle kept in quarantine")
                .set(quarantinedVersions);
    }

    /**
     * A converge's result: each failure (Failed, RolledBack, Degraded) is counted once by its reason, when the bundle
     * first reports it for that content; the bundles no longer wanted leave the gauges.
     */
    public void converged(Collection<BundleState> states, Collection<String> wanted) {
        for (BundleState s : states) {
            if (s.getName() == null) {
                continue;
            }
            if (s.getPhase() == null || !FAILED.contains(s.getPhase())) {
                lastFailure.remove(s.getName());
                continue;
            }
            Verdict v = new Verdict(s.getPhase(), s.getReason(), s.getDigest());
            if (!v.equals(lastFailure.put(s.getName(), v))) {
                Counter.builder(FAILURES)
                        .description("failures reported by the agent, by bundle and reason")
                        .tag("bundle", s.getName())
                        .tag("reason", Objects.requireNonNullElse(s.getReason(), "Unknown"))
                        .register(registry)
                        .increment();
            }
        }
        for (String gone : List.copyOf(kept.keySet())) {
            if (!wanted.contains(gone)) {
                forget(gone);
            }
        }
    }

    private void forget(String bundle) {
        lastFailure.remove(bundle);
        kept.remove(bundle);
        quarantined.remove(bundle);
        registry.getMeters().stream()
                .filter(m -> (m.getId().getName().equals(VERSIONS_KEPT)
                                || m.getId().getName().equals(VERSIONS_QUARANTINED))
                        && bundle.equals(m.getId().getTag("bundle")))
                .forEach(registry::remove);
    }

    /**
     * The bundle's value in {@code gauges}, registered on first use. The gauge looks its value up when scraped: a
     * registry keeps the meter first registered under an id, so it must not hold one value object (a bundle forgotten
     * and wanted again would leave it reading the discarded one).
     */
    private AtomicInteger gauge(Map<String, AtomicInteger> gauges, String name, String bundle, String description) {
        return gauges.computeIfAbsent(bundle, b -> {
            Gauge.builder(name, () -> {
                        AtomicInteger v = gauges.get(b);
                        return v == null ? 0 : v.get();
                    })
                    .description(description)
                    .tag("bundle", b)
                    .register(registry);
            return new AtomicInteger();
        });
    }
}
