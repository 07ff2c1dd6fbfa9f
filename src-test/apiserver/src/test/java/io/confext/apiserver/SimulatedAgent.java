package io.confext.apiserver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays one node's agent with that node's own credentials (a token bound to the Node, under the
 * chart's agent RBAC and admission policy): reads its ConfextNode, and reports every desired
 * bundle Active on the asked revision through the status subresource, as the real agent does.
 */
final class SimulatedAgent implements AutoCloseable {

    private final KubernetesClient client;
    private final String node;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException lastError;

    SimulatedAgent(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
        this.thread = new Thread(this::loop, "simulated-agent-" + node);
        thread.setDaemon(true);
        thread.start();
    }

    /** The last API error, for a failure message (a Forbidden here means the chart's RBAC/policy is wrong). */
    RuntimeException lastError() {
        return lastError;
    }

    private void loop() {
        while (running) {
            try {
                step();
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(200);
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
        List<DesiredBundle> desired = cxn.getSpec() == null || cxn.getSpec().getBundles() == null ? List.of() : cxn.getSpec().getBundles();
        ConfextNodeStatus old = cxn.getStatus();
        List<BundleState> reported = old == null || old.getBundles() == null ? List.of() : old.getBundles();
        List<BundleState> states = new ArrayList<>();
        boolean changed = old == null || old.getConditions() == null;
        for (DesiredBundle d : desired) {
            BundleState s = reported.stream().filter(r -> d.getName().equals(r.getName())).findFirst().orElse(null);
            boolean done = s != null && s.getPhase() == BundlePhase.Active && d.getRevision().getName().equals(s.getRevision())
                    && d.getRevision().getDigest().equals(s.getDigest());
            if (!done) {
                s = new BundleState();
                s.setName(d.getName());
                s.setRevision(d.getRevision().getName());
                s.setDigest(d.getRevision().getDigest());
                s.setDesiredVersion(d.getVersion());
                s.setActiveVersion(d.getVersion());
                s.setPhase(BundlePhase.Active);
                s.setReason("Proven");
                s.setMessage("simulated agent on " + node);
                s.setSince(Instant.now().toString());
                changed = true;
            }
            states.add(s);
        }
        if (reported.size() != states.size()) {
            changed = true;
        }
        if (!changed) {
            return;
        }
        ConfextNodeStatus status = old == null ? new ConfextNodeStatus() : old;
        status.setObservedGeneration(cxn.getMetadata().getGeneration());
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("AgentReady")
                .withMessage("simulated").withLastTransitionTime(Instant.now().toString()).build()));
        status.setBundles(states);
        status.setActiveBundles(states.size());
        status.setFailedBundles(0);
        cxn.setStatus(status);
        client.resource(cxn).updateStatus();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        client.close();
    }
}
