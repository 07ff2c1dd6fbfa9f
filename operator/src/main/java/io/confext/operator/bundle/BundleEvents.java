package io.confext.operator.bundle;

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
 * live in "default". A failed Event write is logged and never fails a reconcile.
 */
public final class BundleEvents {
    public static final String WAVE_STARTED = "WaveStarted";
    public static final String NODE_FAILED = "NodeFailed";
    public static final String HALTED = "RolloutHalted";
    public static final String ROLLBACK_STARTED = "RollbackStarted";
    public static final String COMPLETED = "RolloutComplete";
    public static final String DELETION_TIMED_OUT = "DeletionTimedOut";
    public static final String INVALID = "InvalidBundle";
    public static final String DOWNGRADE_REFUSED = "DowngradeRefused";
    public static final String ROLLBACK_PLANNED = "RollbackPlanned";
    public static final String UNDO_APPLIED = "UndoApplied";
    public static final String UNDO_REFUSED = "UndoRefused";

    private static final Logger LOG = Logger.getLogger(BundleEvents.class);
    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public BundleEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    public void normal(ConfextBundle b, String reason, String message) {
        record(b, "Normal", reason, message);
    }

    public void warning(ConfextBundle b, String reason, String message) {
        record(b, "Warning", reason, message);
    }

    private void record(ConfextBundle b, String type, String reason, String message) {
        String now = clock.instant().toString();
        Event e = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(b.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13)).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(b.getApiVersion()).withKind(b.getKind())
                        .withName(b.getMetadata().getName()).withUid(b.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("confext-operator").endSource()
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(e).create();
        } catch (KubernetesClientException ex) {
            LOG.warnf("could not record event %s on bundle %s: %s", reason, b.getMetadata().getName(), ex.getMessage());
        }
    }
}
