package io.confext.operator.node;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.operator.rollout.Assignment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one bundle's entry in a ConfextNode's {@code spec.bundles}, leaving the other bundles'
 * entries alone. Several bundle reconcilers and the node's agent (status) write the same object
 * concurrently. A JSON Patch that first tests the entry's index still holds this bundle's name
 * and then replaces or removes it (or appends a new entry) touches only this bundle's entry and
 * does not conflict with unrelated writes; when the test fails (the list moved) the writer reads
 * the node again and retries. Objects without a {@code spec.bundles} list fall back to an update
 * locked on the resourceVersion.
 */
public final class NodeEntryWriter {
    static final int ATTEMPTS = 8;
    private final KubernetesClient client;
    private final String revisionNamespace;

    public NodeEntryWriter(KubernetesClient client, String revisionNamespace) {
        this.client = client;
        this.revisionNamespace = revisionNamespace;
    }

    /** Sets (or with {@code desired == null} removes) the entry; returns false when the node is gone. */
    public boolean write(ConfextNode cached, String bundle, Assignment desired) {
        return write(cached, bundle, desired, 0);
    }

    /**
     * @param minReadySeconds the bundle's health window, copied into the entry: the agent re-checks the units for that
     *                        long after the activation and fails the version locally when one fails in it
     */
    public boolean write(ConfextNode cached, String bundle, Assignment desired, int minReadySeconds) {
        ConfextNode current = cached;
        String node = cached.getMetadata().getName();
        DesiredBundle want = desired == null ? null : entry(bundle, desired, minReadySeconds);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (current == null) {
                return false;
            }
            List<DesiredBundle> bundles =
                    current.getSpec() == null ? null : current.getSpec().getBundles();
            int index = -1;
            for (int i = 0; bundles != null && i < bundles.size(); i++) {
                if (bundle.equals(bundles.get(i).getName())) {
                    index = i;
                    break;
                }
            }
            DesiredBundle have = index < 0 ? null : bundles.get(index);
            if (sameEntry(have, want)) {
                return true;
            }
            try {
                if (bundles == null) {
                    lockedUpdate(current, bundle, want);
                } else {
                    client.resources(ConfextNode.class)
                            .withName(node)
                            .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch(index, bundle, want)));
                }
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                // 422: the test op failed (the list changed under us); 409: the locked update lost a race
                if (e.getCode() != 409 && e.getCode() != 422) {
                    throw e;
                }
                current = client.resources(ConfextNode.class).withName(node).get();
            }
        }
        throw new IllegalStateException("ConfextNode " + node + " kept changing; gave up writing bundle " + bundle
                + " after " + ATTEMPTS + " attempts (will retry on the next reconcile)");
    }

    /**
     * Whether the node's entry for the bundle is for this very assignment (version, revision, rollback mark) and
     * differs only in minReadySeconds: the bundle's window changed in its spec, and the entry must follow it without
     * the node being assigned anything new. False without an entry (nothing to refresh: a new entry is a change).
     */
    public boolean onlyWindowDiffers(ConfextNode cached, String bundle, Assignment desired, int minReadySeconds) {
        if (cached == null
                || desired == null
                || cached.getSpec() == null
                || cached.getSpec().getBundles() == null) {
            return false;
        }
        DesiredBundle have = cached.getSpec().getBundles().stream()
                .filter(b -> bundle.equals(b.getName()))
                .findFirst()
                .orElse(null);
        if (have == null) {
            return false;
        }
        DesiredBundle want = entry(bundle, desired, minReadySeconds);
        int haveWindow = have.getMinReadySeconds() == null ? 0 : have.getMinReadySeconds();
        return !sameEntry(have, want) && sameEntry(have, entry(bundle, desired, haveWindow));
    }

    private static List<Map<String, Object>> patch(int index, String bundle, DesiredBundle want) {
        if (index < 0) {
            return List.of(Map.of("op", "add", "path", "/spec/bundles/-", "value", want));
        }
        String path = "/spec/bundles/" + index;
        Map<String, Object> test = Map.of("op", "test", "path", path + "/name", "value", bundle);
        return want == null
                ? List.of(test, Map.of("op", "remove", "path", path))
                : List.of(test, Map.of("op", "replace", "path", path, "value", want));
    }

    private void lockedUpdate(ConfextNode current, String bundle, DesiredBundle want) {
        List<DesiredBundle> bundles = new ArrayList<>();
        if (want != null) {
            bundles.add(want);
        }
        ConfextNode copy = new ConfextNode();
        copy.setMetadata(current.getMetadata());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(bundles);
        copy.setSpec(spec);
        copy.setStatus(current.getStatus());
        client.resources(ConfextNode.class).resource(copy).update();
    }

    DesiredBundle entry(String bundle, Assignment a) {
        return entry(bundle, a, 0);
    }

    DesiredBundle entry(String bundle, Assignment a, int minReadySeconds) {
        DesiredBundle d = new DesiredBundle();
        d.setMinReadySeconds(minReadySeconds > 0 ? minReadySeconds : null);
        d.setName(bundle);
        d.setVersion(a.revision().version());
        RevisionRef ref = new RevisionRef();
        ref.setName(a.revision().name());
        ref.setNamespace(revisionNamespace);
        ref.setDigest(a.revision().digest());
        d.setRevision(ref);
        d.setRollback(a.rollback() ? Boolean.TRUE : null);
        return d;
    }

    private static boolean sameEntry(DesiredBundle a, DesiredBundle b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getVersion(), b.getVersion())
                && Objects.equals(Boolean.TRUE.equals(a.getRollback()), Boolean.TRUE.equals(b.getRollback()))
                && Objects.equals(a.getMinReadySeconds(), b.getMinReadySeconds())
                && a.getRevision() != null
                && b.getRevision() != null
                && Objects.equals(a.getRevision().getName(), b.getRevision().getName())
                && Objects.equals(a.getRevision().getDigest(), b.getRevision().getDigest())
                && Objects.equals(
                        a.getRevision().getNamespace(), b.getRevision().getNamespace());
    }
}
