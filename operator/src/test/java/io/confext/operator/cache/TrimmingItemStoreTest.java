package io.confext.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.node.NodeViews;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The informer caches keep what the reconcilers read, and drop managedFields and the rest. */
class TrimmingItemStoreTest {

    /** A ConfextNode as the API server sends it after the operator (JSON patch) and an agent (status patch) wrote it. */
    static ConfextNode confextNode(String name) {
        return Serialization.unmarshal(
                """
                {"apiVersion": "confext.io/v1alpha1", "kind": "ConfextNode",
                 "metadata": {"name": "%s", "uid": "u-%s", "resourceVersion": "42", "generation": 3,
                   "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "%s", "uid": "n-%s"}],
                   "managedFields": [
                     {"manager": "fabric8-kubernetes-client", "operation": "Update", "apiVersion": "confext.io/v1alpha1",
                      "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:bundles": {}}}},
                     {"manager": "confext-agent", "operation": "Update", "apiVersion": "confext.io/v1alpha1", "subresource": "status",
                      "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:bundles": {}, "f:conditions": {}}}}]},
                 "spec": {"bundles": [{"name": "chrony", "version": "v2",
                   "revision": {"name": "chrony-5d8f", "namespace": "confext-system", "digest": "sha256:%s"}}]},
                 "status": {"observedGeneration": 3,
                   "conditions": [{"type": "Ready", "status": "True", "reason": "AgentRunning", "lastTransitionTime": "2026-11-30T10:00:00Z"}],
                   "host": {"osId": "debian", "architecture": "x86-64", "agentVersion": "0.1.0", "systemdVersion": 257,
                     "confext": true, "refreshOnReload": false},
                   "bundles": [{"name": "chrony", "revision": "chrony-5d8f", "digest": "sha256:%s", "desiredVersion": "v2",
                     "activeVersion": "v2", "phase": "Active", "reason": "Activated", "message": "merged on %s",
                     "since": "2026-11-30T10:01:00Z", "units": [{"unit": "chronyd.service", "mainPid": 42}]}]}}
                """.formatted(name, name, name, name, "ab".repeat(32), "ab".repeat(32), name), ConfextNode.class);
    }

    @Test
    void confextNodeKeepsWhatTheRolloutReadsAndDropsTheRest() {
        TrimmingItemStore<ConfextNode> store = new TrimmingItemStore<>(CacheTrim::confextNode);
        ConfextNode a = confextNode("worker-1");
        String key = store.getKey(a);
        assertThat(key)
                .as("the informer's own key, so JOSDK finds objects by ResourceID")
                .isEqualTo(Cache.metaNamespaceKeyFunc(a));
        store.put(key, a);
        ConfextNode kept = store.get(key);

        assertThat(kept.getMetadata().getManagedFields()).isNotNull().isEmpty();
        assertThat(kept.getMetadata().getName()).isEqualTo("worker-1");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getMetadata().getUid()).isEqualTo("u-worker-1");
        // the host facts eligibility reads stay (a trimmed 257 host would count as able to refresh on reload)
        assertThat(kept.getStatus().getHost()).satisfies(h -> {
            assertThat(h.getSystemdVersion()).isEqualTo(257);
            assertThat(h.getConfext()).isTrue();
            assertThat(h.getRefreshOnReload()).isFalse();
            assertThat(h.getOsId()).isNull();
            assertThat(h.getAgentVersion()).isNull();
        });
        assertThat(kept.getStatus().getBundles())
                .singleElement()
                .satisfies(s -> assertThat(s.getUnits()).isNullOrEmpty());
        // everything NodeViews reads is intact
        assertThat(NodeViews.agentReady(kept)).isTrue();
        assertThat(NodeViews.desiredEntry(kept, "chrony").getRevision().getDigest())
                .isEqualTo("sha256:" + "ab".repeat(32));
        var st = NodeViews.statusEntry(kept, "chrony");
        assertThat(st.getPhase()).hasToString("Active");
        assertThat(st.getRevision()).isEqualTo("chrony-5d8f");
        assertThat(st.getSince()).isEqualTo("2026-11-30T10:01:00Z");
        assertThat(st.getReason()).isEqualTo("Activated");
        assertThat(st.getMessage()).isEqualTo("merged on worker-1");
        assertThat(kept.getSpec().getBundles()).singleElement().satisfies(d -> {
            assertThat(d.getVersion()).isEqualTo("v2");
            assertThat(d.getRevision().getName()).isEqualTo("chrony-5d8f");
            assertThat(d.getRevision().getNamespace()).isEqualTo("confext-system");
        });
    }

    @Test
    void stringsRepeatedOnEveryNodeAreSharedNotCopied() {
        TrimmingItemStore<ConfextNode> store = new TrimmingItemStore<>(CacheTrim::confextNode);
        ConfextNode a = confextNode("worker-1");
        ConfextNode b = confextNode("worker-2");
        assertThat(a.getStatus().getBundles().get(0).getDigest())
                .as("two parses: two copies")
                .isNotSameAs(b.getStatus().getBundles().get(0).getDigest());
        store.put(store.getKey(a), a);
        store.put(store.getKey(b), b);
        ConfextNode x = store.get("worker-1");
        ConfextNode y = store.get("worker-2");
        assertThat(x.getStatus().getBundles().get(0).getDigest())
                .isSameAs(y.getStatus().getBundles().get(0).getDigest());
        assertThat(x.getSpec().getBundles().get(0).getRevision().getDigest())
                .isSameAs(y.getStatus().getBundles().get(0).getDigest());
        assertThat(x.getSpec().getBundles().get(0).getRevision().getName())
                .isSameAs(y.getSpec().getBundles().get(0).getRevision().getName());
        assertThat(x.getStatus().getBundles().get(0).getMessage()).isEqualTo("merged on worker-1");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.keySet()).containsExactlyInAnyOrder("worker-1", "worker-2");
        assertThat(store.remove("worker-1")).isSameAs(x);
        assertThat(store.values()).containsExactly(y);
    }

    @Test
    void josdkAnnotationsOfANodeStay() {
        Node node = Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "w", "resourceVersion": "1",
                  "annotations": {"javaoperatorsdk.io/previous": "x", "other": "y"}}}
                """, Node.class);
        CacheTrim.node(node);
        assertThat(node.getMetadata().getAnnotations()).containsExactly(Map.entry("javaoperatorsdk.io/previous", "x"));
    }

    @Test
    void nodeKeepsNameUidLabelsAndVersionOnly() {
        Node node = Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": "worker-1", "uid": "n1", "resourceVersion": "7",
                   "labels": {"kubernetes.io/os": "linux", "pool": "edge"},
                   "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
                   "managedFields": [{"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:status": {"f:images": {}}}}]},
                 "spec": {"podCIDR": "10.0.1.0/24", "taints": [{"key": "k", "effect": "NoSchedule"}]},
                 "status": {"conditions": [{"type": "Ready", "status": "True"}],
                   "images": [{"names": ["registry.example/app@sha256:00"], "sizeBytes": 1000}]}}
                """, Node.class);
        TrimmingItemStore<Node> store = new TrimmingItemStore<>(CacheTrim::node);
        store.put(store.getKey(node), node);
        Node kept = store.get("worker-1");
        assertThat(kept.getMetadata().getName()).isEqualTo("worker-1");
        assertThat(kept.getMetadata().getUid()).isEqualTo("n1");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("kubernetes.io/os", "linux", "pool", "edge"));
        assertThat(NodeViews.matches(Map.of("pool", "edge"), kept.getMetadata().getLabels()))
                .isTrue();
        assertThat(kept.getMetadata().getManagedFields()).isNotNull().isEmpty();
        assertThat(kept.getMetadata().getAnnotations())
                .as("an empty map, not null: JOSDK's event sources read it")
                .isNotNull()
                .isEmpty();
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getStatus()).isNull();
    }
}
