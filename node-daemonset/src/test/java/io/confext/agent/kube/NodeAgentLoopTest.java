package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static io.confext.agent.kube.Fixtures.node;
import static io.confext.agent.kube.Fixtures.revision;
import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

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
        return n.getStatus().getBundles().stream().filter(b -> name.equals(b.getName())).findFirst().orElse(null);
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
        assertThat(a.getStatus().getObservedGeneration()).isEqualTo(a.getMetadata().getGeneration());
        assertThat(a.getStatus().getHost().getSystemdVersion()).isEqualTo(262);
        assertThat(a.getStatus().getActiveBundles()).isEqualTo(1);
        assertThat(a.getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
        assertThat(host.calls).singleElement().satisfies(set -> assertThat(set).extracting(DesiredBundleContent::name)
                .containsExactly("demo"));

        ConfextNode b = api.node("node-b");
        assertThat(b.getStatus()).isNull();
        assertThat(b.getMetadata().getResourceVersion()).isEqualTo(nodeBVersion);

        List<String> requests = api.agentRequests();
        assertThat(requests).isNotEmpty();
        assertThat(requests).filteredOn(r -> r.contains("/confextnodes"))
                .allSatisfy(r -> assertThat(r).satisfiesAnyOf(
                        s -> assertThat(s).contains("fieldSelector=metadata.name%3Dnode-a"),
                        s -> assertThat(s).startsWith("PUT /apis/confext.io/v1alpha1/confextnodes/node-a/status")));
        assertThat(requests).noneMatch(r -> r.contains("node-b"));
        assertThat(requests).filteredOn(r -> !r.startsWith("GET"))
                .allSatisfy(r -> assertThat(r).isEqualTo("PUT /apis/confext.io/v1alpha1/confextnodes/node-a/status"));
    }
}
