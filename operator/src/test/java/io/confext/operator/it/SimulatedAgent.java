package io.confext.operator.it;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a node agent: reads only its own ConfextNode, writes only its status. Reports Ready, then
 * for each desired bundle: Fetching at once, and after {@code delayMillis} Active on the asked
 * revision and digest, or Failed when the version is one it is told to fail. Entries no longer
 * desired are reported Removed.
 */
final class SimulatedAgent implements Runnable {
    record Behaviour(long delayMillis, Set<String> failVersions, boolean answersRemoval) {
        static Behaviour healthy(long delay) {
            return new Behaviour(delay, Set.of(), true);
        }

        static Behaviour failing(long delay, String version) {
            return new Behaviour(delay, Set.of(version), true);
        }
    }

    final String node;
    private final KubernetesClient client;
    volatile Behaviour behaviour;
    private final Map<String, Instant> firstSeen = new HashMap<>();
    final AtomicInteger statusWrites = new AtomicInteger();
    private volatile boolean running = true;
    private Thread thread;

    SimulatedAgent(KubernetesClient client, String node, Behaviour behaviour) {
        this.client = client;
        this.node = node;
        this.behaviour = behaviour;
    }

    void start() {
        thread = new Thread(this, "agent-" + node);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                step();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API said no (conflict, node gone): try again next round, as a real agent would
            }
        }
    }

    private void step() {
        ConfextNode cxn = client.resources(ConfextNode.class).withName(node).get();
        if (cxn == null) {
            return;
        }
        ConfextNodeStatus status = cxn.getStatus() == null ? new ConfextNodeStatus() : cxn.getStatus();
        List<BundleState> states = new ArrayList<>(status.getBundles() == null ? List.of() : status.getBundles());
        boolean changed = status.getConditions() == null;
        Instant now = Instant.now();
        List<DesiredBundle> desired = cxn.getSpec() == null || cxn.getSpec().getBundles() == null ? List.of() : cxn.getSpec().getBundles();
        for (DesiredBundle d : desired) {
            BundleState s = states.stream().filter(x -> d.getName().equals(x.getName())).findFirst().orElse(null);
            boolean done = s != null && d.getRevision().getName().equals(s.getRevision()) && d.getRevision().getDigest().equals(s.getDigest())
                    && (s.getPhase() == BundlePhase.Active || s.getPhase() == BundlePhase.Failed);
            if (done) {
                continue;
            }
            String key = d.getName() + "@" + d.getRevision().getName();
            Instant seen = firstSeen.computeIfAbsent(key, k -> now);
            if (s == null) {
                s = new BundleState();
                s.setName(d.getName());
                states.add(s);
            }
            boolean ready = now.isAfter(seen.plusMillis(behaviour.delayMillis()));
            if (!ready && s.getPhase() == BundlePhase.Fetching && d.getRevision().getName().equals(s.getRevision())) {
                continue;
            }
            boolean fail = behaviour.failVersions().contains(d.getVersion());
            s.setRevision(d.getRevision().getName());
            s.setDigest(d.getRevision().getDigest());
            s.setDesiredVersion(d.getVersion());
            s.setPhase(!ready ? BundlePhase.Fetching : fail ? BundlePhase.Failed : BundlePhase.Active);
            s.setReason(!ready ? "Fetching" : fail ? "ReloadFailed" : "Proven");
            s.setMessage(fail && ready ? "simulated reload failure" : "");
            if (ready && !fail) {
                s.setActiveVersion(d.getVersion());
            }
            s.setSince(now.toString());
            changed = true;
        }
        for (BundleState s : states) {
            boolean wanted = desired.stream().anyMatch(d -> d.getName().equals(s.getName()));
            if (!wanted && s.getPhase() != BundlePhase.Removed && behaviour.answersRemoval()) {
                s.setPhase(BundlePhase.Removed);
                s.setReason("Removed");
                s.setSince(now.toString());
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("AgentReady")
                .withMessage("simulated").withLastTransitionTime(now.toString()).build()));
        status.setBundles(states);
        client.resources(ConfextNode.class).withName(node).editStatus(c -> {
            c.setStatus(status);
            return c;
        });
        statusWrites.incrementAndGet();
    }
}
