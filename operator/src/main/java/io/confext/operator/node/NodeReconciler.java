package io.confext.operator.node;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.cache.CacheTrim;
import io.confext.operator.cache.TrimmingItemStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gives every Kubernetes Node its ConfextNode (same name, owned by the Node, so the garbage
 * collector removes it with the Node). It never touches an existing ConfextNode: its spec belongs
 * to the bundle reconcilers, its status to the agent.
 *
 * <p>It reacts to a Node appearing and to its ConfextNode disappearing (deleted by hand: made again
 * at once), never to Node updates: kubelet rewrites a Node's status every few minutes, and each
 * update used to cost an API GET per node. Whether the ConfextNode exists is read from this
 * controller's own cache, which keeps only names.
 */
@ControllerConfiguration(name = NodeReconciler.NAME)
public class NodeReconciler implements Reconciler<Node>, ConfigurableReconciler<Node> {
    public static final String NAME = "node";
    private static final String CONFEXT_NODES = "confextnodes-by-name";

    /**
     * The Node cache (every Node of the cluster) keeps name, uid and labels, not the Nodes' status; no
     * Node update triggers a reconcile (name and uid, all this reconciler reads, never change).
     */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Node> configuration) {
        configuration
                .withItemStore(new TrimmingItemStore<>(CacheTrim::node))
                .withInformerListLimit(BundleReconciler.LIST_PAGE)
                .withOnUpdateFilter((updated, old) -> false);
    }

    /** ConfextNodes by name, reduced to their identity; only their creation and deletion matter here. */
    @Override
    public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
        return List.of(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ConfextNode.class, Node.class)
                        .withName(CONFEXT_NODES)
                        .withSecondaryToPrimaryMapper(
                                cxn -> Set.of(new ResourceID(cxn.getMetadata().getName())))
                        .withPrimaryToSecondaryMapper(
                                node -> Set.of(new ResourceID(node.getMetadata().getName())))
                        .withItemStore(new TrimmingItemStore<>(CacheTrim::identity))
                        .withInformerListLimit(BundleReconciler.LIST_PAGE)
                        .withOnUpdateFilter((updated, old) -> false)
                        .build(),
                context));
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        if (context.getSecondaryResource(ConfextNode.class, CONFEXT_NODES).isEmpty() && stillExists(node, context)) {
            try {
                context.getClient()
                        .resources(ConfextNode.class)
                        .resource(forNode(node))
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) { // made meanwhile (a reconcile before the cache saw our own create)
                    throw e;
                }
            }
        }
        return UpdateControl.noUpdate();
    }

    /**
     * The garbage collector deletes a removed Node's ConfextNode, and that event can be here before the
     * Node's own deletion reached this controller's cache: ask the API (this path runs only when a
     * ConfextNode is missing) rather than make one for a Node that is gone.
     */
    private static boolean stillExists(Node node, Context<Node> context) {
        Node current = context.getClient()
                .nodes()
                .withName(node.getMetadata().getName())
                .get();
        return current != null
                && current.getMetadata().getDeletionTimestamp() == null
                && current.getMetadata().getUid().equals(node.getMetadata().getUid());
    }

    static ConfextNode forNode(Node node) {
        ConfextNode cxn = new ConfextNode();
        cxn.setMetadata(new ObjectMetaBuilder()
                .withName(node.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Node")
                        .withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid())
                        .withBlockOwnerDeletion(false)
                        .build())
                .build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(new ArrayList<>());
        cxn.setSpec(spec);
        return cxn;
    }
}
