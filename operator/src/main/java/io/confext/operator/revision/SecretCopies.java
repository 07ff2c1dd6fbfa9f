package io.confext.operator.revision;

import io.confext.api.v1alpha1.ConfextBundle;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The per-revision copies of source Secrets, in a namespace that holds nothing else (so that the agents, which may
 * get Secrets there by name, can read no other Secret): immutable, type Opaque, labelled with bundle and revision.
 * Owned by the bundle (an owner in another namespace, such as the revision, is not allowed), so the garbage
 * collector deletes them with it; {@link RevisionStore#prune} deletes a copy with its revision (a revision stays
 * while it is in the bundle's history: undo finds its copy). Created only, never changed: a copy is named after its
 * content's digests.
 */
public final class SecretCopies {
    public static final String REVISION_LABEL = "confext.io/revision";
    public static final String COPY_LABEL = "confext.io/secret-copy";

    private final KubernetesClient client;
    private final String namespace;

    public SecretCopies(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Creates the copy beside {@code revision} unless it exists. */
    public void ensure(ControllerRevision revision, ConfextBundle bundle, SecretCopy copy) {
        if (client.secrets().inNamespace(namespace).withName(copy.name()).get() != null) {
            return;
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(copy.name())
                .withNamespace(namespace)
                .addToLabels(RevisionStore.BUNDLE_LABEL, bundle.getMetadata().getName())
                .addToLabels(REVISION_LABEL, revision.getMetadata().getName())
                .addToLabels(COPY_LABEL, "true")
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(bundle.getApiVersion())
                        .withKind(bundle.getKind())
                        .withName(bundle.getMetadata().getName())
                        .withUid(bundle.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(false)
                        .build())
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withData(copy.data())
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: another reconcile created the same content first
                throw new KubernetesClientException(
                        "cannot create the copy Secret " + namespace + "/" + copy.name() + " (HTTP " + e.getCode()
                                + ")",
                        e.getCode(),
                        e.getStatus());
            }
        }
    }

    /** Deletes a copy whose revision goes; one already gone is fine. */
    public void delete(String name) {
        client.secrets().inNamespace(namespace).withName(name).delete();
    }

    public boolean exists(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get() != null;
    }
}
