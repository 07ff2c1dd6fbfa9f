package io.confext.testsupport;

import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.api.version.UapiVersion;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays one node's agent: reads only its own ConfextNode and writes only its status, through the status
 * subresource as the real agent does ({@code updateStatus}, so a conflict is retried on the next round). It
 * reports Ready, then for each desired bundle Fetching at once and, after the behaviour's delay, Active on the
 * asked revision and digest, or Failed when the version is one it is told to fail. With no delay it reports
 * Active at once. Entries no longer desired are marked Removed or dropped, as the behaviour says. Told that
 * some of the bundles' own health checks fail on its node ({@link #failHealthChecks}), it reads each proven
 * revision's frozen content and, when it carries such a check, reports the revision Active and then RolledBack
 * with reason HealthCheckFailed on the version it had before, as the real agent does when a check fails within
 * minReadySeconds.
 *
 * <p>Given its own client (for instance one with a token bound to its Node, under the chart's RBAC and
 * admission policy), it closes that client on {@link #close()}; {@link #lastError()} tells why the API refused.
 */
public final class SimulatedAgent implements AutoCloseable {

    /** What happens to a status entry whose bundle is no longer desired. */
    public enum Removal {
        /** kept with phase Removed, as the real agent reports it */
        MARK_REMOVED,
        /** the entry leaves the status */
        DROP
    }

    /**
     * @param delay        how long a new revision stays Fetching before its verdict; zero: Active (or Failed) at once
     * @param failVersions versions whose reload "fails"
     * @param removal      what becomes of entries no longer desired
     * @param poll         the pause between rounds
     */
    public record Behaviour(Duration delay, Set<String> failVersions, Removal removal, Duration poll) {
        public Behaviour {
            failVersions = Set.copyOf(failVersions);
        }

        public static Behaviour healthy(long delayMillis) {
            return new Behaviour(
                    Duration.ofMillis(delayMillis), Set.of(), Removal.MARK_REMOVED, Duration.ofMillis(100));
        }

        public static Behaviour failing(long delayMillis, String version) {
            return new Behaviour(
                    Duration.ofMillis(delayMillis), Set.of(version), Removal.MARK_REMOVED, Duration.ofMillis(100));
        }

        /** Every desired revision Active at once; entries no longer desired dropped; a round every 200 ms. */
        public static Behaviour immediate() {
            return new Behaviour(Duration.ZERO, Set.of(), Removal.DROP, Duration.ofMillis(200));
        }
    }

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final String node;
    private volatile Behaviour behaviour;
    private volatile HostFacts host;
    private volatile Set<String> failingChecks = Set.of();
    /** Per revision name: the names of its health checks (read once from its ControllerRevision). */
    private final Map<String, List<String>> checksOf = new HashMap<>();
    /** Per bundle and revision: the version active before it was proven (what a fallback goes back to). */
    private final Map<String, String> activeBefore = new HashMap<>();

    private final Map<String, Instant> firstSeen = new HashMap<>();
    private final Map<String, String> newestActive = new HashMap<>();
    private final AtomicInteger statusWrites = new AtomicInteger();
    private volatile RuntimeException lastError;
    private volatile boolean running = true;
    private final Thread thread;

    private SimulatedAgent(KubernetesClient client, boolean ownsClient, String node, Behaviour behaviour) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.node = node;
        this.behaviour = behaviour;
        this.thread = new Thread(this::loop, "simulated-agent-" + node);
        thread.setDaemon(true);
    }

    /** Starts an agent on a client the caller keeps (and closes). */
    public static SimulatedAgent start(KubernetesClient shared, String node, Behaviour behaviour) {
        SimulatedAgent a = new SimulatedAgent(shared, false, node, behaviour);
        a.thread.start();
        return a;
    }

    /** Starts an agent that owns {@code own}: its credentials are the node's, and {@link #close()} closes it. */
    public static SimulatedAgent startOwning(KubernetesClient own, String node, Behaviour behaviour) {
        SimulatedAgent a = new SimulatedAgent(own, true, node, behaviour);
        a.thread.start();
        return a;
    }

    public String node() {
        return node;
    }

    /** Changes how it answers from the next round on. */
    public void behave(Behaviour b) {
        behaviour = b;
    }

    /**
     * From the next round on, the bundles' health checks of these names fail on this node: a proven revision that
     * has one is rolled back here (reason HealthCheckFailed), once per revision.
     */
    public void failHealthChecks(String... checks) {
        failingChecks = Set.of(checks);
    }

    /** Reports these host facts (systemd version, confext and refresh-on-reload support) from the next round on. */
    public void reportHost(HostFacts facts) {
        host = facts;
    }

    public int statusWrites() {
        return statusWrites.get();
    }

    /** The last API error, for a failure message (a Forbidden here means the chart's RBAC/policy is wrong). */
    public RuntimeException lastError() {
        return lastError;
    }

    private void loop() {
        while (running) {
            try {
                step();
                lastError = null;
            } catch (RuntimeException e) {
                // the API said no (conflict, node gone, forbidden): try again next round, as a real agent would
                lastError = e;
            }
            try {
                Thread.sleep(behaviour.poll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step() {
        ConfextNode cxn = client.resources(ConfextNode.class).withName(node).get();
        if (cxn == null) {
            return;
        }
        Behaviour b = behaviour;
        ConfextNodeStatus status = cxn.getStatus() == null ? new ConfextNodeStatus() : cxn.getStatus();
        List<BundleState> states = new ArrayList<>(status.getBundles() == null ? List.of() : status.getBundles());
        boolean changed = status.getConditions() == null;
        HostFacts facts = host;
        if (facts != null
                && !Serialization.asJson(facts)
                        .equals(status.getHost() == null ? "" : Serialization.asJson(status.getHost()))) {
            status.setHost(facts);
            changed = true;
        }
        Instant now = Instant.now();
        List<DesiredBundle> desired = cxn.getSpec() == null || cxn.getSpec().getBundles() == null
                ? List.of()
                : cxn.getSpec().getBundles();
        for (DesiredBundle d : desired) {
            BundleState s = states.stream()
                    .filter(x -> d.getName().equals(x.getName()))
                    .findFirst()
                    .orElse(null);
            boolean done = s != null
                    && d.getRevision().getName().equals(s.getRevision())
                    && d.getRevision().getDigest().equals(s.getDigest())
                    && (s.getPhase() == BundlePhase.Active
                            || s.getPhase() == BundlePhase.Failed
                            || s.getPhase() == BundlePhase.RolledBack);
            if (done) {
                changed |= s.getPhase() == BundlePhase.Active && checkFails(d, s, now);
                continue;
            }
            Instant seen = firstSeen.computeIfAbsent(
                    d.getName() + "@" + d.getRevision().getName(), k -> now);
            if (s == null) {
                s = new BundleState();
                s.setName(d.getName());
                states.add(s);
            }
            boolean ready = b.delay().isZero() || now.isAfter(seen.plus(b.delay()));
            if (!ready
                    && s.getPhase() == BundlePhase.Fetching
                    && d.getRevision().getName().equals(s.getRevision())) {
                continue;
            }
            String newest = newestActive.get(d.getName());
            boolean downgrade = newest != null
                    && !Boolean.TRUE.equals(d.getRollback())
                    && UapiVersion.compare(d.getVersion(), newest) < 0;
            boolean fail = downgrade || b.failVersions().contains(d.getVersion());
            s.setRevision(d.getRevision().getName());
            s.setDigest(d.getRevision().getDigest());
            s.setDesiredVersion(d.getVersion());
            s.setPhase(!ready ? BundlePhase.Fetching : fail ? BundlePhase.Failed : BundlePhase.Active);
            s.setReason(!ready ? "Fetching" : downgrade ? "DowngradeRefused" : fail ? "ReloadFailed" : "Proven");
            s.setMessage(
                    downgrade && ready
                            ? "version " + d.getVersion() + " is older than " + newest
                                    + " and the entry has no rollback: true"
                            : fail && ready ? "simulated reload failure" : "simulated agent on " + node);
            if (ready && !fail) {
                activeBefore.put(d.getName() + "@" + d.getRevision().getName(), s.getActiveVersion());
                s.setActiveVersion(d.getVersion());
                if (newest == null || UapiVersion.compare(d.getVersion(), newest) > 0) {
                    newestActive.put(d.getName(), d.getVersion());
                }
            }
            s.setSince(now.toString());
            changed = true;
        }
        changed |= removeUndesired(states, desired, b.removal(), now);
        if (!changed) {
            return;
        }
        status.setObservedGeneration(cxn.getMetadata().getGeneration());
        status.setConditions(List.of(new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("AgentReady")
                .withMessage("simulated")
                .withLastTransitionTime(now.toString())
                .build()));
        status.setBundles(states);
        status.setActiveBundles((int)
                states.stream().filter(s -> s.getPhase() == BundlePhase.Active).count());
        status.setFailedBundles((int)
                states.stream().filter(s -> s.getPhase() == BundlePhase.Failed).count());
        cxn.setStatus(status);
        client.resource(cxn).updateStatus();
        statusWrites.incrementAndGet();
    }

    /** A proven revision with a failing check: RolledBack to the version before, as a real agent's fallback. */
    private boolean checkFails(DesiredBundle d, BundleState s, Instant now) {
        Set<String> failing = failingChecks;
        if (failing.isEmpty()) {
            return false;
        }
        RevisionRef ref = d.getRevision();
        List<String> checks = checksOf.computeIfAbsent(ref.getName(), n -> {
            ControllerRevision cr = client.apps()
                    .controllerRevisions()
                    .inNamespace(ref.getNamespace())
                    .withName(n)
                    .get();
            return cr == null
                    ? List.of()
                    : RevisionCodec.fromData(cr.getData()).checks().stream()
                            .map(ResolvedHealthCheck::name)
                            .toList();
        });
        String check = checks.stream().filter(failing::contains).findFirst().orElse(null);
        if (check == null) {
            return false;
        }
        String back = activeBefore.get(d.getName() + "@" + ref.getName());
        s.setPhase(BundlePhase.RolledBack);
        s.setReason("HealthCheckFailed");
        s.setMessage("demo.service: health check " + check + " failed 3 times in a row: exit status 1 (simulated on "
                + node + "), 4s after the activation, within minReadySeconds; version " + d.getVersion()
                + " quarantined; " + (back == null ? "no previous version" : "back on " + back));
        s.setActiveVersion(back);
        s.setSince(now.toString());
        if (d.getVersion().equals(newestActive.get(d.getName()))) {
            if (back == null) {
                newestActive.remove(d.getName());
            } else {
                newestActive.put(d.getName(), back);
            }
        }
        return true;
    }

    private static boolean removeUndesired(
            List<BundleState> states, List<DesiredBundle> desired, Removal removal, Instant now) {
        boolean changed = false;
        for (BundleState s : List.copyOf(states)) {
            boolean wanted = desired.stream().anyMatch(d -> d.getName().equals(s.getName()));
            if (wanted) {
                continue;
            }
            if (removal == Removal.DROP) {
                states.remove(s);
                changed = true;
            } else if (s.getPhase() != BundlePhase.Removed) {
                s.setPhase(BundlePhase.Removed);
                s.setReason("Removed");
                s.setSince(now.toString());
                changed = true;
            }
        }
        return changed;
    }

    /** Stops the agent (and closes its client when it owns it). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (ownsClient) {
            client.close();
        }
    }
}
