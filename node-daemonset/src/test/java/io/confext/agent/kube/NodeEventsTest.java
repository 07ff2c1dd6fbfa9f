package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static io.confext.agent.kube.Fixtures.node;
import static io.confext.agent.kube.Fixtures.revision;
import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's Events on its ConfextNode through the Kubernetes side, against fabric8's mock API server (CRUD mode),
 * with a {@link RecordingHost} answering what the host did: one Event object per series whose count grows on repeats,
 * nothing for a pass that did not converge, and an Event the API did not take is sent once it answers again. The
 * repair itself on a real host: {@code DriftOnSystemd262Test}.
 */
class NodeEventsTest {
    private static final String DRIFT = "drift repaired from the verified revision: changed /var/lib/x/demo.v/demo_1/"
            + "etc/demo/demo.conf; demo.service sees 1";

    private MockApi api;
    private RecordingHost host;
    private RunningAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        api = new MockApi();
        host = new RecordingHost();
        RevisionContent v1 = content("1");
        api.admin.resource(revision("demo-1", v1)).create();
        api.admin.resource(node("node-a", desired("demo", "demo-1", v1))).create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            agent.close();
        }
        api.close();
    }

    private void answerDrifted() {
        host.answer("demo", d -> {
            BundleState s = RecordingHost.state(d, BundlePhase.Active, "Drifted", "1");
            s.setMessage(DRIFT);
            return s;
        });
    }

    private List<Event> events() {
        return api.admin.v1().events().inNamespace("default").list().getItems();
    }

    private boolean oneEventCounted(int count) {
        List<Event> e = events();
        return e.size() == 1 && Objects.equals(e.get(0).getCount(), count);
    }

    @Test
    void aRepairedDriftIsOneWarningOnTheConfextNodeWhoseCountGrowsWithEachRepair() throws Exception {
        answerDrifted();
        agent = new RunningAgent(api.agentClient, "node-a", host);
        await("a Drifted event", () -> oneEventCounted(1));
        ConfextNode n = api.node("node-a");
        Event e = events().get(0);
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("Drifted");
        assertThat(e.getMessage()).isEqualTo("bundle demo version 1: " + DRIFT);
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfextNode");
        assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("confext.io/v1alpha1");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("node-a");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(n.getMetadata().getUid());
        assertThat(e.getSource().getComponent()).isEqualTo("confext-agent");
        assertThat(e.getSource().getHost()).isEqualTo("node-a");
        String name = e.getMetadata().getName();
        assertThat(name).startsWith("node-a.");

        // the drift comes back and is repaired again on the next resync: the same object, counted up
        int converges = host.calls.size();
        agent.loop.resync();
        await("a second converge", () -> host.calls.size() > converges);
        await("the same event counted twice", () -> oneEventCounted(2));
        assertThat(events().get(0).getMetadata().getName()).isEqualTo(name);
        assertThat(events().get(0).getFirstTimestamp()).isEqualTo(e.getFirstTimestamp());
    }

    @Test
    void aPassThatDoesNotConvergeTellsNoRepairAgain() throws Exception {
        answerDrifted();
        agent = new RunningAgent(api.agentClient, "node-a", host);
        await("a Drifted event", () -> oneEventCounted(1));
        int converges = host.calls.size();
        // a change to the node that leaves its desired set alone: a pass runs, the host is not converged
        ConfextNode n = api.node("node-a");
        n.getMetadata().setLabels(Map.of("touched", "yes"));
        api.admin.resource(n).update();
        Thread.sleep(1500);
        assertThat(host.calls).hasSize(converges);
        assertThat(oneEventCounted(1))
                .as("still one event, counted once: " + events())
                .isTrue();
    }

    @Test
    void aRestoreAtStartIsToldOnceTheApiAnswers() throws Exception {
        host.restoredAtStart = Map.of("demo", "version 1 restored from the agent's journal; drop-in written again");
        agent = new RunningAgent(api.agentClient, "node-a", host);
        await("a RestoredFromLocalState event", () -> oneEventCounted(1));
        Event e = events().get(0);
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getReason()).isEqualTo("RestoredFromLocalState");
        assertThat(e.getMessage()).contains("version 1 restored from the agent's journal");

        int converges = host.calls.size();
        agent.loop.resync();
        await("a second converge", () -> host.calls.size() > converges);
        Thread.sleep(500);
        assertThat(oneEventCounted(1)).as("told once: " + events()).isTrue();
    }

    @Test
    void anEventTheApiDidNotTakeIsSentWhenItAnswersAgainAndThePassIsNotFailedByIt() throws Exception {
        agent = new RunningAgent(api.agentClient, "node-a", host);
        await("demo Active", () -> {
            ConfextNode n = api.node("node-a");
            return n.getStatus() != null
                    && n.getStatus().getBundles() != null
                    && n.getStatus().getBundles().stream().anyMatch(b -> b.getPhase() == BundlePhase.Active);
        });
        assertThat(events()).isEmpty();

        answerDrifted();
        api.proxy.cut();
        int converges = host.calls.size();
        agent.loop.resync();
        await("the drift repaired while the API is cut", () -> host.calls.size() > converges);
        Thread.sleep(500);
        assertThat(events()).isEmpty();

        api.proxy.restore();
        await("the Drifted event, sent once the API answers", () -> oneEventCounted(1));
        assertThat(events().get(0).getReason()).isEqualTo("Drifted");
        await(
                "the status says Drifted too",
                () -> api.node("node-a").getStatus().getBundles().stream()
                        .anyMatch(b -> "Drifted".equals(b.getReason())));
        assertThat(host.calls.size())
                .as("the host converged once for the drift")
                .isEqualTo(converges + 1);
    }
}
