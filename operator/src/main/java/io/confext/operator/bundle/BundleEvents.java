package io.confext.operator.bundle;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ConfextBundle;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on a bundle (shown by {@code kubectl describe cxb}). Bundles are
 * cluster-scoped, so their Events live in a configured namespace, as the kubelet's Node events
 * live in "default". A failed Event write is logged and never fails a reconcile. An Event's reason is a word of the
 * one catalogue ({@link Reason}), like every condition's: an alert matches the same word in both.
 */
public final class BundleEvents {
    private static final Logger LOG = Logger.getLogger(BundleEvents.class);
    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public BundleEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    public void normal(ConfextBundle b, Reason reason, String message) {
        record(b, "Normal", reason.name(), message);
    }

    public void warning(ConfextBundle b, Reason reason, String message) {
        record(b, "Warning", reason.name(), message);
    }

    private void record(ConfextBundle b, String type, String reason, String message) {
        String now = clock.instant().toString();
        Event e = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(b.getMetadata().getName() + "."
                        + UUID.randomUUID().toString().substring(0, 13))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(b.getApiVersion())
                        .withKind(b.getKind())
                        .withName(b.getMetadata().getName())
                        .withUid(b.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent("confext-operator")
                .endSource()
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(e).create();
        } catch (KubernetesClientException ex) {
            LOG.warnf(
                    "could not record event %s on bundle %s: %s",
                    reason, b.getMetadata().getName(), ex.getMessage());
        }
    }
}
