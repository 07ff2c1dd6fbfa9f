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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.util.ArrayList;

/**
 * Gives every Kubernetes Node its ConfextNode (same name, owned by the Node, so the garbage
 * collector removes it with the Node). It never touches an existing ConfextNode: its spec belongs
 * to the bundle reconcilers, its status to the agent.
 */
@ControllerConfiguration(name = NodeReconciler.NAME)
public class NodeReconciler implements Reconciler<Node>, ConfigurableReconciler<Node> {
    public static final String NAME = "node";

    /** The Node cache (every Node of the cluster) keeps name, uid and labels, not the Nodes' status. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Node> configuration) {
        configuration.withItemStore(new TrimmingItemStore<>(CacheTrim::node)).withInformerListLimit(BundleReconciler.LIST_PAGE);
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        var nodes = context.getClient().resources(ConfextNode.class);
        if (nodes.withName(node.getMetadata().getName()).get() == null) {
            try {
                nodes.resource(forNode(node)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        return UpdateControl.noUpdate();
    }

    static ConfextNode forNode(Node node) {
        ConfextNode cxn = new ConfextNode();
        cxn.setMetadata(new ObjectMetaBuilder().withName(node.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid())
                        .withBlockOwnerDeletion(false).build())
                .build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(new ArrayList<>());
        cxn.setSpec(spec);
        return cxn;
    }
}
