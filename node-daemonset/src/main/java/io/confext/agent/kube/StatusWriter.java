package io.confext.agent.kube;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Writes one node's status subresource, and only when it differs from the status the API holds.
 * The write is a PUT on {@code /status} carrying the resourceVersion the status was computed from:
 * if the object changed meanwhile the API answers 409 and the loop recomputes from the newer object
 * instead of overwriting it. {@code spec} is never written.
 */
public final class StatusWriter {

    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return true when a write was sent, false when the API already held this status */
    public boolean write(ConfextNode current, ConfextNodeStatus status) {
        if (same(current.getStatus(), status)) {
            return false;
        }
        // The object as read (metadata incl. resourceVersion, spec untouched) with the new status.
        ConfextNode update = client.getKubernetesSerialization().clone(current);
        update.setStatus(status);
        client.resource(update).updateStatus();
        return true;
    }

    /**
     * Like {@link #write}, returning the object as the API holds it afterwards (its new resourceVersion), so that a
     * later write of the same pass is not refused as stale.
     */
    public ConfextNode writeAndGet(ConfextNode current, ConfextNodeStatus status) {
        if (same(current.getStatus(), status)) {
            return current;
        }
        ConfextNode update = client.getKubernetesSerialization().clone(current);
        update.setStatus(status);
        return client.resource(update).updateStatus();
    }

    /** Compared as JSON trees: the API types have no equals, and JSON is what the API stores. */
    static boolean same(ConfextNodeStatus a, ConfextNodeStatus b) {
        var mapper = Serialization.jsonMapper();
        return mapper.valueToTree(a).equals(mapper.valueToTree(b));
    }
}
