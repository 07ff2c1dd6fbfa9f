package io.confext.kubectl;

import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.kubectl.render.StoredRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The plugin's reads and writes on the API server, nothing else: the commands decide, the renderers print. */
final class Cluster {
    /** The label the operator puts on a bundle's ControllerRevisions (operator: RevisionStore.BUNDLE_LABEL). */
    static final String BUNDLE_LABEL = "confext.io/bundle";
    /** The annotation the operator reads for an undo (operator: BundleReconciler.UNDO_ANNOTATION, docs/rollouts.md). */
    static final String UNDO_ANNOTATION = "confext.io/undo";

    private final KubernetesClient client;
    private final String namespaceOption;

    Cluster(KubernetesClient client, String namespaceOption) {
        this.client = client;
        this.namespaceOption = namespaceOption;
    }

    ConfextBundle bundle(String name) {
        ConfextBundle b = client.resources(ConfextBundle.class).withName(name).get();
        if (b == null) {
            throw CommandFailure.bundleNotFound(name);
        }
        return b;
    }

    List<ConfextNode> nodes() {
        return client.resources(ConfextNode.class).list().getItems();
    }

    /** The bundle's revisions that can be read; one that cannot be decoded is left out (the agent refuses it too). */
    List<StoredRevision> revisions(ConfextBundle bundle, List<ConfextNode> nodes) {
        String name = bundle.getMetadata().getName();
        String ns = RevisionNamespace.choose(
                namespaceOption,
                entryNamespaces(nodes, name),
                client.getConfiguration().getNamespace());
        List<StoredRevision> out = new ArrayList<>();
        for (ControllerRevision cr : client.apps()
                .controllerRevisions()
                .inNamespace(ns)
                .withLabel(BUNDLE_LABEL, name)
                .list()
                .getItems()) {
            if (!ownedBy(cr, bundle)) {
                continue; // left from an earlier bundle of the same name, until the garbage collector takes it
            }
            RevisionContent content;
            try {
                content = RevisionCodec.fromData(cr.getData());
            } catch (IllegalArgumentException e) {
                continue;
            }
            out.add(new StoredRevision(
                    cr.getMetadata().getName(),
                    cr.getRevision() == null ? 0 : cr.getRevision(),
                    content.version(),
                    cr.getMetadata().getCreationTimestamp(),
                    content));
        }
        return out;
    }

    private static boolean ownedBy(ControllerRevision cr, ConfextBundle bundle) {
        var owners = cr.getMetadata().getOwnerReferences();
        return owners == null
                || owners.isEmpty()
                || owners.stream()
                        .anyMatch(o ->
                                Objects.equals(o.getUid(), bundle.getMetadata().getUid()));
    }

    private static List<String> entryNamespaces(List<ConfextNode> nodes, String bundle) {
        return nodes.stream()
                .filter(n -> n.getSpec() != null && n.getSpec().getBundles() != null)
                .flatMap(n -> n.getSpec().getBundles().stream())
                .filter(d -> bundle.equals(d.getName()) && d.getRevision() != null)
                .map(d -> d.getRevision().getNamespace())
                .toList();
    }

    /** A JSON merge patch of the bundle: only the fields in {@code json} change, nothing is overwritten wholesale. */
    void mergePatch(String name, String json) {
        client.resources(ConfextBundle.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
