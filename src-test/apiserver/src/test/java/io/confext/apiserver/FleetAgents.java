package io.confext.apiserver;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every node's agent at once, for a fleet too large for one thread (or one client) per node: one
 * informer watches all ConfextNodes, and a small pool answers each node {@code delayMillis} after
 * it changed, as a fast, healthy agent would: Ready, and every desired bundle Active on the asked
 * revision, in one merge patch of the node's status subresource (the agent's only write).
 * At most one answer per node is queued at a time; it reads the latest cached object when it runs.
 */
final class FleetAgents implements AutoCloseable {

    private final KubernetesClient client;
    private final long delayMillis;
    private final ScheduledExecutorService pool;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final SharedIndexInformer<ConfextNode> informer;
    /** Bundles whose every node x revision is timed: when the agent first saw it desired, and when it reported it proven. */
    private final Set<String> timed;

    private final Map<Step, Instant> seenAt = new ConcurrentHashMap<>();
    private final Map<Step, Instant> provenAt = new ConcurrentHashMap<>();

    /** One node's step to one revision of one bundle. */
    record Step(String node, String bundle, String revision) {}

    /** When the agent first saw the step desired, and when its report of it (Active) was accepted by the API server. */
    record StepTimes(Step step, Instant seen, Instant proven) {}

    FleetAgents(KubernetesClient client, long delayMillis, int threads) {
        this(client, delayMillis, threads, Set.of());
    }

    FleetAgents(KubernetesClient client, long delayMillis, int threads, Set<String> timed) {
        this.client = client;
        this.timed = timed;
        this.delayMillis = delayMillis;
        this.pool = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "fleet-agent");
            t.setDaemon(true);
            return t;
        });
        this.informer = client.resources(ConfextNode.class)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(ConfextNode n) {
                                consider(n);
                            }

                            @Override
                            public void onUpdate(ConfextNode old, ConfextNode n) {
                                consider(n);
                            }

                            @Override
                            public void onDelete(ConfextNode n, boolean unknown) {}
                        },
                        0);
    }

    long writes() {
        return writes.get();
    }

    long errors() {
        return errors.get();
    }

    /** The timed steps of one bundle that were proven, in the order they were proven. */
    List<StepTimes> timesOf(String bundle) {
        return provenAt.entrySet().stream()
                .filter(e -> e.getKey().bundle().equals(bundle))
                .map(e -> new StepTimes(e.getKey(), seenAt.get(e.getKey()), e.getValue()))
                .sorted(java.util.Comparator.comparing(StepTimes::proven))
                .toList();
    }

    private void consider(ConfextNode n) {
        String name = n.getMetadata().getName();
        if (!timed.isEmpty() && n.getSpec() != null && n.getSpec().getBundles() != null) {
            Instant now = Instant.now();
            for (DesiredBundle d : n.getSpec().getBundles()) {
                if (timed.contains(d.getName()) && d.getRevision() != null) {
                    seenAt.putIfAbsent(
                            new Step(name, d.getName(), d.getRevision().getName()), now);
                }
            }
        }
        if (answer(n) != null && queued.add(name)) {
            pool.schedule(() -> report(name), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void report(String name) {
        queued.remove(name);
        ConfextNode n = informer.getIndexer().getByKey(name);
        ConfextNodeStatus status = n == null ? null : answer(n);
        if (status == null) {
            return;
        }
        try {
            client.resources(ConfextNode.class)
                    .withName(name)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
            writes.incrementAndGet();
            if (!timed.isEmpty()) {
                Instant now = Instant.now();
                for (BundleState b : status.getBundles()) {
                    if (timed.contains(b.getName())) {
                        provenAt.putIfAbsent(new Step(name, b.getName(), b.getRevision()), now);
                    }
                }
            }
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            consider(n); // try again later
        }
    }

    /** The status this node's agent would report now, or null when what it reported already says so. */
    static ConfextNodeStatus answer(ConfextNode n) {
        List<DesiredBundle> desired = n.getSpec() == null || n.getSpec().getBundles() == null
                ? List.of()
                : n.getSpec().getBundles();
        ConfextNodeStatus old = n.getStatus();
        List<BundleState> reported = old == null || old.getBundles() == null ? List.of() : old.getBundles();
        boolean ready = old != null
                && old.getConditions() != null
                && old.getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean changed = !ready || reported.size() != desired.size();
        List<BundleState> states = new ArrayList<>();
        String now = Instant.now().toString();
        for (DesiredBundle d : desired) {
            BundleState s = reported.stream()
                    .filter(r -> d.getName().equals(r.getName()))
                    .findFirst()
                    .orElse(null);
            boolean done = s != null
                    && s.getPhase() == BundlePhase.Active
                    && d.getRevision() != null
                    && d.getRevision().getName().equals(s.getRevision())
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
                s.setSince(now);
                changed = true;
            }
            states.add(s);
        }
        if (!changed) {
            return null;
        }
        ConfextNodeStatus st = new ConfextNodeStatus();
        st.setObservedGeneration(n.getMetadata().getGeneration());
        Condition readyCondition = ready
                ? old.getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .findFirst()
                        .orElseThrow()
                : new ConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .withReason("AgentReady")
                        .withMessage("simulated")
                        .withLastTransitionTime(now)
                        .build();
        st.setConditions(List.of(readyCondition));
        st.setBundles(states);
        st.setActiveBundles(states.size());
        st.setFailedBundles(0);
        return st;
    }

    @Override
    public void close() {
        informer.close();
        pool.shutdownNow();
    }
}
