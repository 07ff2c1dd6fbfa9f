package io.confext.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.operator.rollout.Assignment;
import io.confext.operator.rollout.RevisionTarget;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NodeEntryWriterTest {
    KubernetesClient client;

    @BeforeEach
    void crd() throws Exception {
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/confextnodes.confext.io-v1.yml")) {
            if (in != null) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
        }
        var node = client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("n1")
                        .withUid("u1")
                        .endMetadata()
                        .build())
                .create();
        client.resources(ConfextNode.class)
                .resource(NodeReconciler.forNode(node))
                .create();
    }

    static Assignment rev(String bundle, String v) {
        return Assignment.forward(new RevisionTarget(bundle + "-" + v, "sha256:" + v, v));
    }

    ConfextNode get() {
        return client.resources(ConfextNode.class).withName("n1").get();
    }

    @Test
    void concurrentBundlesNeverClobberEachOtherOrTheStatus() throws Exception {
        ConfextNode stale = get();
        ConfextNode withStatus = get();
        ConfextNodeStatus st = new ConfextNodeStatus();
        st.setActiveBundles(7);
        withStatus.setStatus(st);
        client.resources(ConfextNode.class).resource(withStatus).updateStatus();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            String bundle = "b" + b;
            fs.add(pool.submit(() -> {
                NodeEntryWriter w = new NodeEntryWriter(client, "confext-system");
                w.write(stale, bundle, rev(bundle, "1")); // computed from an old copy on purpose
                w.write(get(), bundle, rev(bundle, "2"));
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        List<DesiredBundle> entries = get().getSpec().getBundles();
        assertThat(entries).hasSize(16);
        assertThat(entries).allSatisfy(d -> assertThat(d.getVersion()).isEqualTo("2"));
        assertThat(entries).extracting(DesiredBundle::getName).doesNotHaveDuplicates();
        assertThat(get().getStatus().getActiveBundles()).as("status untouched").isEqualTo(7);

        NodeEntryWriter w = new NodeEntryWriter(client, "confext-system");
        assertThat(w.write(get(), "b3", null)).isTrue();
        assertThat(get().getSpec().getBundles())
                .extracting(DesiredBundle::getName)
                .hasSize(15)
                .doesNotContain("b3");
        assertThat(w.write(get(), "b4", new Assignment(new RevisionTarget("b4-1", "sha256:1", "1"), true)))
                .isTrue();
        DesiredBundle b4 = get().getSpec().getBundles().stream()
                .filter(d -> d.getName().equals("b4"))
                .findFirst()
                .orElseThrow();
        assertThat(b4.getRollback()).isTrue();
        assertThat(b4.getRevision().getNamespace()).isEqualTo("confext-system");
    }

    @Test
    void onlyAWindowChangeOnTheSameAssignmentIsAWindowRefresh() {
        NodeEntryWriter w = new NodeEntryWriter(client, "confext-system");
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "1"), 30))
                .as("no entry yet: a new entry is an assignment, not a refresh")
                .isFalse();
        w.write(get(), "b", rev("b", "1"), 0);
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "1"), 0))
                .as("the same")
                .isFalse();
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "1"), 30)).isTrue();
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "2"), 30))
                .as("another revision is a change the planner decides")
                .isFalse();
        assertThat(w.onlyWindowDiffers(
                        get(), "b", new Assignment(new RevisionTarget("b-1", "sha256:1", "1"), true), 30))
                .as("a rollback mark is a change too")
                .isFalse();
        assertThat(w.onlyWindowDiffers(get(), "other", rev("other", "1"), 30)).isFalse();
        w.write(get(), "b", rev("b", "1"), 30);
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "1"), 30)).isFalse();
        assertThat(w.onlyWindowDiffers(get(), "b", rev("b", "1"), 0))
                .as("back to none")
                .isTrue();
    }

    @Test
    void theBundlesHealthWindowIsCopiedIntoTheEntry() {
        NodeEntryWriter w = new NodeEntryWriter(client, "confext-system");
        assertThat(w.write(get(), "b", rev("b", "1"), 45)).isTrue();
        assertThat(get().getSpec().getBundles())
                .singleElement()
                .satisfies(d -> assertThat(d.getMinReadySeconds()).isEqualTo(45));
        assertThat(w.write(get(), "b", rev("b", "1"), 0)).isTrue();
        assertThat(get().getSpec().getBundles())
                .singleElement()
                .as("0 is left out, as the agent's default")
                .satisfies(d -> assertThat(d.getMinReadySeconds()).isNull());
    }

    @Test
    void goneNodeIsReportedNotThrown() {
        ConfextNode n = get();
        client.resources(ConfextNode.class).withName("n1").delete();
        assertThat(new NodeEntryWriter(client, "ns").write(n, "b", rev("b", "1")))
                .isFalse();
    }
}
