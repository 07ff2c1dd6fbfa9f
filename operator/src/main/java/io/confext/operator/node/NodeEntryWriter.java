package io.confext.operator.node;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.operator.rollout.Assignment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes one bundle's entry in a ConfextNode's {@code spec.bundles}, leaving the other bundles'
 * entries alone. Several bundle reconcilers write the same object concurrently, so each write is
 * an update locked on the resourceVersion it was computed from, retried on a conflict from a
 * fresh read: no entry of another bundle is ever overwritten with a stale copy.
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
        ConfextNode current = cached;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (current == null) {
                return false;
            }
            DesiredBundle want = desired == null ? null : entry(bundle, desired);
            List<DesiredBundle> bundles = new ArrayList<>();
            if (current.getSpec() != null && current.getSpec().getBundles() != null) {
                bundles.addAll(current.getSpec().getBundles());
            }
            DesiredBundle have = bundles.stream().filter(b -> bundle.equals(b.getName())).findFirst().orElse(null);
            if (sameEntry(have, want)) {
                return true;
            }
            bundles.removeIf(b -> bundle.equals(b.getName()));
            if (want != null) {
                bundles.add(want);
                bundles.sort((a, b) -> a.getName().compareTo(b.getName()));
            }
            ConfextNode copy = new ConfextNode();
            copy.setMetadata(current.getMetadata());
            ConfextNodeSpec spec = new ConfextNodeSpec();
            spec.setBundles(bundles);
            copy.setSpec(spec);
            copy.setStatus(current.getStatus());
            try {
                client.resources(ConfextNode.class).resource(copy).update();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
                current = client.resources(ConfextNode.class).withName(cached.getMetadata().getName()).get();
            }
        }
        throw new IllegalStateException("ConfextNode " + cached.getMetadata().getName() + " kept changing; gave up writing bundle "
                + bundle + " after " + ATTEMPTS + " attempts (will retry on the next reconcile)");
    }

    DesiredBundle entry(String bundle, Assignment a) {
        DesiredBundle d = new DesiredBundle();
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
                && a.getRevision() != null && b.getRevision() != null
                && Objects.equals(a.getRevision().getName(), b.getRevision().getName())
                && Objects.equals(a.getRevision().getDigest(), b.getRevision().getDigest())
                && Objects.equals(a.getRevision().getNamespace(), b.getRevision().getNamespace());
    }
}
