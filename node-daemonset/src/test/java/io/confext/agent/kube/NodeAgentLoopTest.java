package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static io.confext.agent.kube.Fixtures.node;
import static io.confext.agent.kube.Fixtures.revision;
import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's Kubernetes side against fabric8's mock API server (CRUD mode). The host is a
 * {@link RecordingHost} test double: these tests are about what the agent reads, hands to the host
 * and writes back; the host side is tested against real systemd hosts in its own tests.
 */
class NodeAgentLoopTest {

    private MockApi api;
    private RecordingHost host;
    private RunningAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        api = new MockApi();
        host = new RecordingHost();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            agent.close();
        }
        api.close();
    }

    private void start() {
        agent = new RunningAgent(api.agentClient, "node-a", host);
    }

    private void create(ControllerRevision revision) {
        api.admin.resource(revision).create();
    }

    private void create(ConfextNode node) {
        api.admin.resource(node).create();
    }

    private BundleState bundle(String node, String name) {
        ConfextNode n = api.node(node);
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return null;
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> name.equals(b.getName()))
                .findFirst()
                .orElse(null);
    }

    private boolean phaseIs(String node, String bundle, BundlePhase phase) {
        BundleState b = bundle(node, bundle);
        return b != null && b.getPhase() == phase;
    }

    @Test
    void readsOnlyItsOwnConfextNodeAndWritesOnlyItsStatus() throws Exception {
        RevisionContent v1 = content("1");
        create(revision("demo-1", v1));
        create(node("node-a", desired("demo", "demo-1", v1)));
        create(node("node-b", desired("demo", "demo-1", v1)));
        String nodeBVersion = api.node("node-b").getMetadata().getResourceVersion();

        start();
        await("node-a reports demo Active", () -> phaseIs("node-a", "demo", BundlePhase.Active));

        ConfextNode a = api.node("node-a");
        assertThat(a.getStatus().getObservedGeneration())
                .isEqualTo(a.getMetadata().getGeneration());
        assertThat(a.getStatus().getHost().getSystemdVersion()).isEqualTo(262);
        assertThat(a.getStatus().getActiveBundles()).isEqualTo(1);
        assertThat(a.getStatus().getConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
        assertThat(host.calls)
                .singleElement()
                .satisfies(set ->
                        assertThat(set).extracting(DesiredBundleContent::name).containsExactly("demo"));

        ConfextNode b = api.node("node-b");
        assertThat(b.getStatus()).isNull();
        assertThat(b.getMetadata().getResourceVersion()).isEqualTo(nodeBVersion);

        List<String> requests = api.agentRequests();
        assertThat(requests).isNotEmpty();
        assertThat(requests)
                .filteredOn(r -> r.contains("/confextnodes"))
                .allSatisfy(r -> assertThat(r)
                        .satisfiesAnyOf(
                                s -> assertThat(s).contains("fieldSelector=metadata.name%3Dnode-a"),
                                s -> assertThat(s)
                                        .startsWith("PUT /apis/confext.io/v1alpha1/confextnodes/node-a/status")));
        assertThat(requests).noneMatch(r -> r.contains("node-b"));
        assertThat(requests)
                .filteredOn(r -> !r.startsWith("GET"))
                .allSatisfy(r -> assertThat(r).isEqualTo("PUT /apis/confext.io/v1alpha1/confextnodes/node-a/status"));
    }

    private long statusWrites() throws InterruptedException {
        return api.agentRequests().stream()
                .filter(r -> r.startsWith("PUT") && r.endsWith("/status"))
                .count();
    }

    @Test
    void statusReportsWhatConvergeReturned() throws Exception {
        RevisionContent demo = content("2");
        RevisionContent chrony = content("4.5.2");
        create(revision("demo-2", demo));
        create(revision("chrony-1", chrony));
        host.answer("chrony", b -> {
            BundleState s = RecordingHost.state(b, BundlePhase.RolledBack, "ReloadFailed", "4.5.1");
            s.setMessage("chronyd.service reload failed; 4.5.1 restored");
            return s;
        });
        create(node("node-a", desired("demo", "demo-2", demo), desired("chrony", "chrony-1", chrony)));

        start();
        await("both bundles reported", () -> bundle("node-a", "chrony") != null && bundle("node-a", "demo") != null);

        ConfextNode a = api.node("node-a");
        assertThat(a.getStatus().getActiveBundles()).isEqualTo(1);
        assertThat(a.getStatus().getFailedBundles()).isEqualTo(1);
        BundleState c = bundle("node-a", "chrony");
        assertThat(c.getPhase()).isEqualTo(BundlePhase.RolledBack);
        assertThat(c.getReason()).isEqualTo("ReloadFailed");
        assertThat(c.getActiveVersion()).isEqualTo("4.5.1");
        assertThat(c.getDesiredVersion()).isEqualTo("4.5.2");
        assertThat(c.getMessage()).isEqualTo("chronyd.service reload failed; 4.5.1 restored");
        assertThat(c.getSince()).isNotBlank();
        assertThat(bundle("node-a", "demo").getActiveVersion()).isEqualTo("2");
    }

    @Test
    void longStepsAreReportedWhileTheHostWorks() throws Exception {
        RevisionContent v1 = content("1");
        RevisionContent v2 = content("2");
        create(revision("demo-1", v1));
        create(revision("demo-2", v2));
        create(node("node-a", desired("demo", "demo-1", v1)));
        start();
        await("demo 1 Active", () -> phaseIs("node-a", "demo", BundlePhase.Active));

        List<String> seenDuringConverge = new java.util.concurrent.CopyOnWriteArrayList<>();
        host.progressSteps.put("demo", List.of(BundlePhase.Fetching, BundlePhase.Verified));
        host.afterProgress = (name, phase) -> {
            BundleState b = bundle("node-a", name);
            seenDuringConverge.add(b.getPhase() + " desired=" + b.getDesiredVersion() + " active="
                    + b.getActiveVersion() + " revision=" + b.getRevision());
        };
        api.admin.resources(ConfextNode.class).withName("node-a").edit(n -> {
            n.getSpec().setBundles(List.of(desired("demo", "demo-2", v2)));
            return n;
        });
        await(
                "demo 2 Active",
                () -> phaseIs("node-a", "demo", BundlePhase.Active)
                        && "2".equals(bundle("node-a", "demo").getActiveVersion()));

        assertThat(seenDuringConverge)
                .containsExactly(
                        "Fetching desired=2 active=1 revision=demo-2", "Verified desired=2 active=1 revision=demo-2");
        assertThat(host.calls).hasSize(2);
        assertThat(api.agentRequests())
                .filteredOn(r -> !r.startsWith("GET"))
                .allSatisfy(r -> assertThat(r).isEqualTo("PUT /apis/confext.io/v1alpha1/confextnodes/node-a/status"));
    }

    @Test
    void noStatusWriteWhenNothingChanged() throws Exception {
        RevisionContent v1 = content("1");
        create(revision("demo-1", v1));
        create(node("node-a", desired("demo", "demo-1", v1)));
        start();
        await("demo Active", () -> phaseIs("node-a", "demo", BundlePhase.Active));
        await("one status write", () -> count(1));
        long writes = statusWrites();

        // A forced resync converges the host again (drift repair) but reports the same: no write.
        agent.loop.resync();
        await("resync converged again", () -> host.calls.size() == 2);
        // An unrelated change to the object (a label) wakes the agent but changes no desired set.
        ConfextNode labelled = api.node("node-a");
        labelled.getMetadata().setLabels(java.util.Map.of("team", "platform"));
        api.admin.resource(labelled).update();
        Thread.sleep(1500);

        assertThat(statusWrites())
                .as(
                        "the status bodies the agent PUT: %s",
                        api.requests().stream()
                                .filter(r -> r.getMethod().equals("PUT"))
                                .map(r -> r.getUtf8Body())
                                .toList())
                .isEqualTo(writes);
        assertThat(host.calls).hasSize(2);
    }

    private boolean count(long writes) {
        try {
            return statusWrites() >= writes;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void digestMismatchFailsTheBundleWithoutHandingItToTheHost() throws Exception {
        RevisionContent good = content("1");
        RevisionContent tampered = content("7");
        create(revision("demo-1", good));
        create(revision("other-1", tampered));
        // The node expects the digest of different content than the revision holds.
        create(node(
                "node-a",
                desired("demo", "demo-1", good),
                desired("other", "other-1", io.confext.api.revision.RevisionDigest.of(content("6")), "6")));

        start();
        await("other reported Failed", () -> phaseIs("node-a", "other", BundlePhase.Failed));

        BundleState other = bundle("node-a", "other");
        assertThat(other.getReason()).isEqualTo("DigestMismatch");
        assertThat(other.getMessage()).contains("confext-system/other-1").contains("refusing");
        assertThat(other.getActiveVersion()).isNull();
        assertThat(host.calls)
                .isNotEmpty()
                .allSatisfy(set ->
                        assertThat(set).extracting(DesiredBundleContent::name).containsExactly("demo"));
        assertThat(api.node("node-a").getStatus().getFailedBundles()).isEqualTo(1);
    }

    @Test
    void missingRevisionIsPendingThenPickedUpWithoutANodeEvent() throws Exception {
        RevisionContent v1 = content("1");
        create(node("node-a", desired("demo", "demo-1", v1)));

        start();
        await("demo Pending", () -> phaseIs("node-a", "demo", BundlePhase.Pending));
        BundleState pending = bundle("node-a", "demo");
        assertThat(pending.getReason()).isEqualTo("RevisionMissing");
        assertThat(pending.getMessage()).contains("ControllerRevision confext-system/demo-1 does not exist");
        // Nothing of it reached the host (it never had the bundle, so the empty set is exact).
        assertThat(host.calls).allSatisfy(set -> assertThat(set).isEmpty());

        // The operator creates the revision late; only the agent's retry can notice (revisions are not watched).
        create(revision("demo-1", v1));
        await("demo Active after retry", () -> phaseIs("node-a", "demo", BundlePhase.Active));
        assertThat(host.lastNames()).containsExactly("demo");
    }

    @Test
    void apiOutageNeverChangesTheHostAndTheAgentCatchesUpAfterwards() throws Exception {
        RevisionContent demo = content("1");
        RevisionContent chrony = content("4.5.2");
        create(revision("demo-1", demo));
        create(revision("chrony-1", chrony));
        create(node("node-a", desired("demo", "demo-1", demo), desired("chrony", "chrony-1", chrony)));
        start();
        await(
                "both Active",
                () -> phaseIs("node-a", "demo", BundlePhase.Active) && phaseIs("node-a", "chrony", BundlePhase.Active));
        int before = host.calls.size();

        api.proxy.cut();
        await("watch lost", () -> !agent.health.apiConnected());
        // A resync during the outage repairs drift with the last complete desired set, never an empty one.
        agent.loop.resync();
        await("resync converged during the outage", () -> host.calls.size() > before);
        // The status write then fails and is retried with backoff; the retries do not converge again.
        Thread.sleep(1500);
        assertThat(host.calls).hasSize(before + 1);
        assertThat(host.calls.subList(before, host.calls.size()))
                .allSatisfy(set -> assertThat(set)
                        .extracting(DesiredBundleContent::name)
                        .containsExactlyInAnyOrder("demo", "chrony"));

        // Meanwhile the operator drops chrony (the agent cannot see it yet).
        ConfextNode changed = api.node("node-a");
        changed.getSpec().setBundles(List.of(desired("demo", "demo-1", demo)));
        api.admin.resource(changed).update();
        Thread.sleep(1000);
        assertThat(host.lastNames()).containsExactlyInAnyOrder("demo", "chrony");

        api.proxy.restore();
        await("chrony removed after reconnect", () -> List.of("demo").equals(host.lastNames()));
        await("status shows chrony Removed", () -> phaseIs("node-a", "chrony", BundlePhase.Removed));
        ConfextNode a = api.node("node-a");
        assertThat(a.getStatus().getObservedGeneration())
                .isEqualTo(a.getMetadata().getGeneration());
        assertThat(host.calls).noneMatch(List::isEmpty);
    }

    @Test
    void bundleDeletedFromSpecIsConvergedAway() throws Exception {
        RevisionContent demo = content("1");
        RevisionContent chrony = content("4.5.2");
        create(revision("demo-1", demo));
        create(revision("chrony-1", chrony));
        create(node("node-a", desired("demo", "demo-1", demo), desired("chrony", "chrony-1", chrony)));
        start();
        await(
                "both Active",
                () -> phaseIs("node-a", "demo", BundlePhase.Active) && phaseIs("node-a", "chrony", BundlePhase.Active));

        ConfextNode changed = api.node("node-a");
        changed.getSpec().setBundles(List.of(desired("chrony", "chrony-1", chrony)));
        api.admin.resource(changed).update();

        await("demo gone from the host", () -> List.of("chrony").equals(host.lastNames()));
        await("status shows demo Removed", () -> phaseIs("node-a", "demo", BundlePhase.Removed));
        assertThat(api.node("node-a").getStatus().getActiveBundles()).isEqualTo(1);
    }

    @Test
    void nodeThatAppearsLaterGetsHostFactsAndTheAgentCreatesNothing() throws Exception {
        start();
        await("watch established", () -> agent.health.apiConnected());
        Thread.sleep(500);
        assertThat(api.node("node-a")).isNull();
        assertThat(host.calls).isEmpty();

        create(node("node-a"));
        await("host facts reported", () -> {
            ConfextNode a = api.node("node-a");
            return a != null && a.getStatus() != null && a.getStatus().getHost() != null;
        });
        assertThat(api.node("node-a").getStatus().getHost().getOsId()).isEqualTo("debian");
        assertThat(api.agentRequests()).noneMatch(r -> r.startsWith("POST"));
    }
}
