package io.confext.operator.it;

import static io.confext.operator.it.MockCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** NodeReconciler against fabric8's mock API server: one ConfextNode per Node, kept, and Node updates cost nothing. */
class NodeLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NODE_PATH = "/apis/confext.io/v1alpha1/confextnodes/";

    @AutoClose
    final MockCluster cluster = new MockCluster();

    @Test
    void aConfextNodeDeletedByHandIsMadeAgainAtOnce() {
        cluster.addNode("n1", Map.of());
        cluster.startOperator();
        await("ConfextNode made", WAIT, () -> confextNode("n1") != null);
        String firstUid = confextNode("n1").getMetadata().getUid();

        cluster.client.resources(ConfextNode.class).withName("n1").delete();

        await(
                "ConfextNode made again",
                WAIT,
                () -> confextNode("n1") != null
                        && !confextNode("n1").getMetadata().getUid().equals(firstUid));
        assertThat(confextNode("n1").getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("n1"));
    }

    @Test
    void nodeUpdatesDoNotReadTheConfextNode() throws InterruptedException {
        cluster.addNode("n1", Map.of());
        cluster.startOperator();
        await("ConfextNode made", WAIT, () -> confextNode("n1") != null);
        drainRequests();

        // What kubelet does every few minutes on every node (status), and a cordon (spec). A real Node has no
        // metadata.generation, so JOSDK's generation filter lets every update through; the mock server sets one
        // and bumps it on spec changes only, so the cordon is what reaches the reconciler here.
        for (int i = 0; i < 5; i++) {
            String beat = Integer.toString(i);
            cluster.client.nodes().withName("n1").editStatus(n -> {
                n.setStatus(new NodeStatus());
                n.getStatus()
                        .setConditions(List.of(new NodeConditionBuilder()
                                .withType("Ready")
                                .withStatus("True")
                                .withReason("KubeletReady")
                                .withMessage("beat " + beat)
                                .build()));
                return n;
            });
            boolean cordoned = i % 2 == 0;
            cluster.client.nodes().withName("n1").edit(n -> {
                n.setSpec(new NodeSpec());
                n.getSpec().setUnschedulable(cordoned);
                return n;
            });
        }
        Thread.sleep(1500); // reconciles of those updates, if any, would have run by now

        List<String> reads = drainRequests().stream()
                .filter(r -> r.getMethod().equals("GET") && r.getPath().startsWith(NODE_PATH + "n1"))
                .map(r -> r.getMethod() + " " + r.getPath())
                .toList();
        assertThat(reads).as("no ConfextNode read per Node update").isEmpty();
        assertThat(confextNode("n1")).isNotNull();
    }

    @Test
    void aRemovedNodeDoesNotGetItsConfextNodeBack() throws InterruptedException {
        cluster.addNode("gone", Map.of());
        cluster.startOperator();
        await("ConfextNode made", WAIT, () -> confextNode("gone") != null);

        // The mock has no garbage collector: delete the ConfextNode at once, as the collector does.
        cluster.removeNode("gone");
        Thread.sleep(1500);

        assertThat(confextNode("gone"))
                .as("no ConfextNode for a Node that is gone")
                .isNull();
    }

    private ConfextNode confextNode(String name) {
        return cluster.client.resources(ConfextNode.class).withName(name).get();
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = cluster.server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }
}
