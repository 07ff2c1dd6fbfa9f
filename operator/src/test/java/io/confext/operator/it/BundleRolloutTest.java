package io.confext.operator.it;

import static io.confext.operator.it.MockCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.Canary;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.api.v1alpha1.RolloutPolicy;
import io.confext.operator.node.NodeCacheLag;
import io.confext.operator.node.NodeViews;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The operator against fabric8's mock API server, with simulated agents playing the nodes. */
class BundleRolloutTest {
    static final Duration WAIT = Duration.ofSeconds(40);
    static final Map<String, String> WORKER = Map.of("role", "worker");

    @AutoClose
    final MockCluster cluster = new MockCluster();

    void fleet(int n, SimulatedAgent.Behaviour behaviour) {
        for (int i = 0; i < n; i++) {
            cluster.addNodeWithAgent("node-" + i, WORKER, behaviour);
        }
    }

    static ConfextBundle bundle(String name, String version, Consumer<RolloutPolicy> rollout) {
        return BundleBuilder.bundle(name, version)
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server ntp" + version + " iburst\n")
                .nodeSelector(WORKER)
                .rollout(rollout)
                .build();
    }

    ConfextBundle get(String name) {
        return cluster.client.resources(ConfextBundle.class).withName(name).get();
    }

    Condition condition(String bundle, String type) {
        ConfextBundle b = get(bundle);
        if (b == null || b.getStatus() == null || b.getStatus().getConditions() == null) {
            return null;
        }
        return b.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    boolean conditionIs(String bundle, String type, String status, String reason) {
        Condition c = condition(bundle, type);
        return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
    }

    void setVersion(String bundle, String version, Consumer<RolloutPolicy> rollout) {
        cluster.client.resources(ConfextBundle.class).withName(bundle).edit(b -> {
            b.getSpec().setVersion(version);
            b.getSpec().getSource().getFiles().get(0).setContent("server ntp" + version + " iburst\n");
            rollout.accept(b.getSpec().getRollout());
            return b;
        });
    }

    List<ConfextNode> nodes() {
        return cluster.client.resources(ConfextNode.class).list().getItems();
    }

    long nodesActiveOn(String bundle, String version) {
        return nodes().stream()
                .map(n -> NodeViews.statusEntry(n, bundle))
                .filter(s -> s != null && s.getPhase() == BundlePhase.Active && version.equals(s.getActiveVersion()))
                .count();
    }

    List<String> reasonsOfEvents() {
        return cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .map(e -> e.getReason())
                .toList();
    }

    static Consumer<RolloutPolicy> waves(int maxUnavailable, int canary, int minReady, FailurePolicy onFailure) {
        return r -> {
            r.setMaxUnavailable(new IntOrString(maxUnavailable));
            Canary c = new Canary();
            c.setCount(canary);
            r.setCanary(c);
            r.setMinReadySeconds(minReady);
            r.setOnFailure(onFailure);
        };
    }

    @Test
    void aBundleAppliedBeforeItsAgentsWaitsForThemInsteadOfCompletingOnNoNode() {
        cluster.addNode("node-0", WORKER);
        cluster.addNode("node-1", WORKER);
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(2, 0, 0, FailurePolicy.Halt)))
                .create();
        await(
                "the bundle waits for agents",
                WAIT,
                () -> conditionIs("chrony", "Progressing", "True", "WaitingForAgents"));
        BundleRolloutTest.pause(Duration.ofSeconds(2));
        ConfextBundle waiting = get("chrony");
        assertThat(waiting.getStatus().getCurrentVersion())
                .as("nothing is rolled out")
                .isNull();
        assertThat(waiting.getStatus().getHistory()).isNull();
        assertThat(condition("chrony", "Progressing").getReason()).isEqualTo("WaitingForAgents");

        cluster.startAgent("node-0", SimulatedAgent.Behaviour.healthy(100));
        cluster.startAgent("node-1", SimulatedAgent.Behaviour.healthy(100));
        await(
                "v1 on both nodes, complete",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 2
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        ConfextBundle done = get("chrony");
        assertThat(done.getStatus().getCurrentVersion()).isEqualTo("1");
        assertThat(done.getStatus().getTargeted()).isEqualTo(2);
        assertThat(done.getStatus().getHistory())
                .as("one completion, on the nodes")
                .hasSize(1);
    }

    @Test
    void aConfextNodeWithoutANodeHoldsTheRolloutOnlyForTheCacheLagGrace() {
        fleet(1, SimulatedAgent.Behaviour.healthy(100));
        ConfextNode stray = new ConfextNode();
        stray.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("stray")
                .build());
        cluster.client.resources(ConfextNode.class).resource(stray).create(); // by hand: no Node, no owner
        cluster.startOperator();
        long start = System.nanoTime();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(1, 0, 0, FailurePolicy.Halt)))
                .create();
        await(
                "v1 complete on the node, the stray ConfextNode left out",
                NodeCacheLag.GRACE.plus(WAIT),
                () -> nodesActiveOn("chrony", "1") == 1
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("held while the stray's Node could still arrive in the cache")
                .isGreaterThanOrEqualTo(NodeCacheLag.GRACE.minusSeconds(5));
        assertThat(get("chrony").getStatus().getTargeted()).isEqualTo(1);
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void rollsOutInWavesWithCanaryFirstAndFreezesEachVersion() {
        fleet(6, SimulatedAgent.Behaviour.healthy(200));
        cluster.startOperator();
        try (FleetMonitor m = new FleetMonitor(cluster.client, "chrony", "1")) {
            cluster.client
                    .resources(ConfextBundle.class)
                    .resource(bundle("chrony", "1", waves(2, 1, 1, FailurePolicy.Halt)))
                    .create();
            // complete with every node on it: a status computed before the simulated agents were ready says complete
            // on none
            await(
                    "v1 on all 6 nodes",
                    WAIT,
                    () -> nodesActiveOn("chrony", "1") == 6
                            && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
            assertThat(m.maxUnavailable.get())
                    .as("never more than maxUnavailable=2 in flight")
                    .isLessThanOrEqualTo(2);
            List<String> order = m.order();
            String canary = order.get(0);
            long secondAssigned =
                    order.stream().skip(1).mapToLong(m.assignedAt::get).min().orElseThrow();
            assertThat(secondAssigned - m.activeAt.get(canary))
                    .as("the canary is healthy for minReadySeconds before the next wave")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
        }
        ConfextBundle b = get("chrony");
        assertThat(b.getStatus().getCurrentVersion()).isEqualTo("1");
        assertThat(b.getStatus().getTargeted()).isEqualTo(6);
        assertThat(b.getStatus().getReady()).isEqualTo(6);
        assertThat(b.getStatus().getObservedGeneration())
                .isEqualTo(b.getMetadata().getGeneration());
        assertThat(b.getStatus().getHistory()).hasSize(1);
        assertThat(condition("chrony", "Available").getStatus()).isEqualTo("True");

        try (FleetMonitor m = new FleetMonitor(cluster.client, "chrony", "2")) {
            setVersion("chrony", "2", r -> {});
            await(
                    "v2 on all nodes",
                    WAIT,
                    () -> nodesActiveOn("chrony", "2") == 6
                            && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
            assertThat(m.maxUnavailable.get()).isLessThanOrEqualTo(2);
        }
        List<ControllerRevision> revisions = cluster.client
                .apps()
                .controllerRevisions()
                .inNamespace(MockCluster.NAMESPACE)
                .withLabel("confext.io/bundle", "chrony")
                .list()
                .getItems();
        assertThat(revisions).hasSize(2);
        assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactlyInAnyOrder(1L, 2L);
        for (ControllerRevision cr : revisions) {
            String digest = cr.getMetadata().getAnnotations().get("confext.io/digest");
            assertThat(RevisionDigest.of(RevisionCodec.fromData(cr.getData())))
                    .as("data matches its digest")
                    .isEqualTo(digest);
            assertThat(cr.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid())
                            .isEqualTo(get("chrony").getMetadata().getUid()));
        }
        DesiredBundle entry = NodeViews.desiredEntry(nodes().get(0), "chrony");
        assertThat(entry.getRevision().getNamespace()).isEqualTo(MockCluster.NAMESPACE);
        assertThat(revisions)
                .anySatisfy(cr -> assertThat(cr.getMetadata().getName())
                        .isEqualTo(entry.getRevision().getName()));
        assertThat(get("chrony").getStatus().getHistory())
                .extracting(h -> h.getVersion())
                .containsExactly("2", "1");
        assertThat(reasonsOfEvents()).contains("WaveStarted", "RolloutComplete");
    }

    /** The agents' health window follows spec.rollout.minReadySeconds alone, on nodes that are done, without a wave. */
    @Test
    void aChangeOfMinReadySecondsAloneReachesEveryEntryWithoutAWave() {
        fleet(4, SimulatedAgent.Behaviour.healthy(100));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(2, 0, 0, FailurePolicy.Halt)))
                .create();
        // complete with every node on it (a status computed before the agents were ready says complete on none)
        await(
                "v1 on all 4 nodes",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 4
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        assertThat(nodes())
                .allSatisfy(n -> assertThat(NodeViews.desiredEntry(n, "chrony").getMinReadySeconds())
                        .isNull());
        List<String> revisionsBefore = nodes().stream()
                .map(n -> NodeViews.desiredEntry(n, "chrony").getRevision().getName())
                .toList();
        long wavesBefore =
                reasonsOfEvents().stream().filter("WaveStarted"::equals).count();

        cluster.client.resources(ConfextBundle.class).withName("chrony").edit(b -> {
            b.getSpec().getRollout().setMinReadySeconds(3);
            return b;
        });
        await(
                "minReadySeconds 3 in every node's entry",
                WAIT,
                () -> nodes().stream()
                        .allMatch(n -> Integer.valueOf(3)
                                .equals(NodeViews.desiredEntry(n, "chrony").getMinReadySeconds())));
        // nodes the operator saw proven less than the new window ago wait out the rest (as a Deployment's pods do)
        await(
                "complete again, at the new generation",
                WAIT,
                () -> conditionIs("chrony", "Progressing", "False", "RolloutComplete")
                        && get("chrony")
                                .getStatus()
                                .getObservedGeneration()
                                .equals(get("chrony").getMetadata().getGeneration()));
        assertThat(nodes().stream()
                        .map(n -> NodeViews.desiredEntry(n, "chrony")
                                .getRevision()
                                .getName())
                        .toList())
                .as("the same revision on every node")
                .isEqualTo(revisionsBefore);
        assertThat(reasonsOfEvents().stream().filter("WaveStarted"::equals).count())
                .as("no wave for a window change")
                .isEqualTo(wavesBefore);
        assertThat(get("chrony").getStatus().getReady()).isEqualTo(4);
        assertThat(get("chrony").getStatus().getHistory()).hasSize(1);
    }

    @Test
    void failingCanaryHaltsTheRollout() {
        fleet(5, SimulatedAgent.Behaviour.failing(100, "2"));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(2, 1, 0, FailurePolicy.Halt)))
                .create();
        await(
                "v1 everywhere",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 5
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));

        setVersion("chrony", "2", r -> {});
        await("halted", WAIT, () -> conditionIs("chrony", "Progressing", "False", "Halted"));
        sleep(2500); // several reconciles later nothing else moved
        ConfextBundle b = get("chrony");
        assertThat(b.getStatus().getFailed()).isEqualTo(1);
        assertThat(b.getStatus().getFailures())
                .singleElement()
                .satisfies(f -> assertThat(f.getReason()).isEqualTo("ReloadFailed"));
        assertThat(conditionIs("chrony", "Degraded", "True", "NodeFailed")).isTrue();
        assertThat(nodes().stream()
                        .filter(n ->
                                "2".equals(NodeViews.desiredEntry(n, "chrony").getVersion()))
                        .count())
                .as("only the canary got the bad version")
                .isEqualTo(1);
        assertThat(nodesActiveOn("chrony", "1")).isEqualTo(4);
        assertThat(b.getStatus().getCurrentVersion()).isEqualTo("1");
        assertThat(reasonsOfEvents()).contains("NodeFailed", "RolloutHalted");
    }

    @Test
    void failureWithRollbackPolicyMovesEveryNodeBack() {
        fleet(4, SimulatedAgent.Behaviour.healthy(100));
        cluster.agents.get(0).behave(SimulatedAgent.Behaviour.failing(600, "2"));
        cluster.agents.get(1).behave(SimulatedAgent.Behaviour.failing(600, "2"));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(2, 0, 0, FailurePolicy.Rollback)))
                .create();
        await(
                "v1 everywhere",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 4
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));

        cluster.agents.forEach(a -> a.behave(SimulatedAgent.Behaviour.failing(300, "2")));
        setVersion("chrony", "2", r -> {});
        await("rolled back", WAIT, () -> conditionIs("chrony", "Degraded", "True", "RolledBack"));
        for (ConfextNode n : nodes()) {
            DesiredBundle d = NodeViews.desiredEntry(n, "chrony");
            assertThat(d.getVersion())
                    .as("%s back on 1", n.getMetadata().getName())
                    .isEqualTo("1");
        }
        assertThat(nodes().stream()
                        .filter(n -> Boolean.TRUE.equals(
                                NodeViews.desiredEntry(n, "chrony").getRollback()))
                        .count())
                .as("the nodes that had 2 got a downgrade permit")
                .isBetween(1L, 2L);
        assertThat(nodesActiveOn("chrony", "1")).isEqualTo(4);
        assertThat(get("chrony").getStatus().getCurrentVersion()).isEqualTo("1");
        assertThat(reasonsOfEvents()).contains("RollbackStarted");
    }

    @Test
    void pauseStopsNewAssignmentsAndResumeFinishes() {
        fleet(4, SimulatedAgent.Behaviour.healthy(100));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", r -> {
                    waves(1, 0, 0, FailurePolicy.Halt).accept(r);
                    r.setPaused(true);
                }))
                .create();
        await("paused condition", WAIT, () -> conditionIs("chrony", "Paused", "True", "PausedBySpec"));
        sleep(2000);
        assertThat(nodes().stream()
                        .filter(n -> NodeViews.desiredEntry(n, "chrony") != null)
                        .count())
                .isZero();
        assertThat(condition("chrony", "Progressing").getStatus()).isEqualTo("Unknown");

        cluster.client.resources(ConfextBundle.class).withName("chrony").edit(b -> {
            b.getSpec().getRollout().setPaused(false);
            return b;
        });
        await("complete after resume", WAIT, () -> conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        assertThat(conditionIs("chrony", "Paused", "False", "NotPaused")).isTrue();
        assertThat(nodesActiveOn("chrony", "1")).isEqualTo(4);
    }

    @Test
    void deletionRemovesTheBundleFromEveryNodeBeforeReleasing() {
        fleet(3, SimulatedAgent.Behaviour.healthy(100));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(3, 0, 0, FailurePolicy.Halt)))
                .create();
        await(
                "complete",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 3
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        assertThat(get("chrony").getMetadata().getFinalizers()).isNotEmpty();

        cluster.client.resources(ConfextBundle.class).withName("chrony").delete();
        await("bundle gone", WAIT, () -> get("chrony") == null);
        for (ConfextNode n : nodes()) {
            assertThat(NodeViews.desiredEntry(n, "chrony")).isNull();
            assertThat(NodeViews.statusEntry(n, "chrony").getPhase())
                    .as("agent reported removal before release")
                    .isEqualTo(BundlePhase.Removed);
        }
    }

    @Test
    void deletionIsReleasedAfterTimeoutNamingSilentNodes() {
        cluster.deletionTimeout = Duration.ofSeconds(8); // long enough for a reconcile after node-0 answers
        fleet(2, SimulatedAgent.Behaviour.healthy(100));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(2, 0, 0, FailurePolicy.Halt)))
                .create();
        await(
                "complete",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 2
                        && conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
        cluster.agents.get(1).close(); // node-1's agent dies and never answers

        cluster.client.resources(ConfextBundle.class).withName("chrony").delete();
        await("terminating condition names the silent node", WAIT, () -> {
            Condition c = condition("chrony", "Terminating");
            return c != null
                    && c.getMessage().contains("node-1")
                    && !c.getMessage().contains("node-0");
        });
        await("released after the timeout", WAIT, () -> get("chrony") == null);
        assertThat(cluster.client
                        .v1()
                        .events()
                        .inNamespace(MockCluster.NAMESPACE)
                        .list()
                        .getItems())
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("DeletionTimedOut");
                    assertThat(e.getMessage()).contains("node-1");
                });
    }

    @Test
    void nodesJoiningAndLeavingAreHandled() {
        fleet(4, SimulatedAgent.Behaviour.healthy(400));
        cluster.startOperator();
        cluster.client
                .resources(ConfextBundle.class)
                .resource(bundle("chrony", "1", waves(1, 0, 0, FailurePolicy.Halt)))
                .create();
        await(
                "first assignment",
                WAIT,
                () -> nodes().stream().anyMatch(n -> NodeViews.desiredEntry(n, "chrony") != null));
        String inFlight = nodes().stream()
                .filter(n -> NodeViews.desiredEntry(n, "chrony") != null)
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName();
        cluster.removeNode(inFlight); // mid-wave: its slot must free up
        cluster.addNodeWithAgent("late", WORKER, SimulatedAgent.Behaviour.healthy(100));
        cluster.addNodeWithAgent("other-role", Map.of("role", "db"), SimulatedAgent.Behaviour.healthy(100));

        await(
                "complete on the 4 matching nodes",
                WAIT,
                () -> conditionIs("chrony", "Progressing", "False", "RolloutComplete")
                        && get("chrony").getStatus().getTargeted() == 4);
        assertThat(NodeViews.desiredEntry(
                        cluster.client
                                .resources(ConfextNode.class)
                                .withName("late")
                                .get(),
                        "chrony"))
                .isNotNull();
        assertThat(NodeViews.desiredEntry(
                        cluster.client
                                .resources(ConfextNode.class)
                                .withName("other-role")
                                .get(),
                        "chrony"))
                .as("outside the nodeSelector")
                .isNull();
        assertThat(cluster.client
                        .resources(ConfextNode.class)
                        .withName("other-role")
                        .get()
                        .getMetadata()
                        .getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));

        cluster.addNodeWithAgent("later", WORKER, SimulatedAgent.Behaviour.healthy(100));
        await("a node joining after completion gets the version", WAIT, () -> nodesActiveOn("chrony", "1") == 5);

        // Only the Node's label change can start this: the operator's Node cache keeps labels (CacheTrim.node)
        // and a relabelled Node's update event reaches the bundle reconciler.
        cluster.client.nodes().withName("other-role").edit(n -> {
            n.getMetadata().getLabels().putAll(WORKER);
            return n;
        });
        await(
                "a node relabelled into the nodeSelector gets the version",
                WAIT,
                () -> nodesActiveOn("chrony", "1") == 6);
    }

    @Test
    void restartedOperatorCarriesOnFromTheApi() {
        fleet(6, SimulatedAgent.Behaviour.healthy(1500));
        cluster.startOperator();
        try (FleetMonitor m = new FleetMonitor(cluster.client, "chrony", "1")) {
            cluster.client
                    .resources(ConfextBundle.class)
                    .resource(bundle("chrony", "1", waves(2, 0, 0, FailurePolicy.Halt)))
                    .create();
            await("first wave", WAIT, () -> m.order().size() == 2);
            cluster.stopOperator();
            sleep(2000); // the first wave finishes while no operator runs
            cluster.startOperator();
            await(
                    "complete after restart",
                    WAIT,
                    () -> conditionIs("chrony", "Progressing", "False", "RolloutComplete"));
            assertThat(m.maxUnavailable.get()).isLessThanOrEqualTo(2);
            assertThat(m.order()).hasSize(6);
        }
        assertThat(cluster.client
                        .apps()
                        .controllerRevisions()
                        .inNamespace(MockCluster.NAMESPACE)
                        .list()
                        .getItems())
                .as("the restarted operator found the revision instead of making another")
                .hasSize(1);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
