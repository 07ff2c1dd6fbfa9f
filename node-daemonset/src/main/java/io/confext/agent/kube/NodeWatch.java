package io.confext.agent.kube;

import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

/**
 * Watches exactly one ConfextNode: an informer on {@code withName(node)}, which lists and watches with
 * the field selector {@code metadata.name=<node>}, so the agent never lists the other nodes' objects
 * (O(1) watch traffic per node). When the object does not exist yet the informer simply holds
 * nothing and delivers it once the operator creates it. On a lost connection fabric8 re-lists and
 * re-watches with backoff; the exception handler keeps it retrying forever, also when the API is
 * down at start-up, so the agent starts (unready) instead of crashing.
 */
public final class NodeWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeWatch.class);

    private final SharedIndexInformer<ConfextNode> informer;

    private NodeWatch(SharedIndexInformer<ConfextNode> informer) {
        this.informer = informer;
    }

    public static NodeWatch start(KubernetesClient client, String nodeName, WorkLoop loop) {
        SharedIndexInformer<ConfextNode> informer =
                client.resources(ConfextNode.class).withName(nodeName).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<ConfextNode>() {
            @Override
            public void onAdd(ConfextNode node) {
                loop.submit(node);
            }

            @Override
            public void onUpdate(ConfextNode oldNode, ConfextNode newNode) {
                loop.submit(newNode);
            }

            @Override
            public void onDelete(ConfextNode node, boolean deletedFinalStateUnknown) {
                loop.forget();
            }
        });
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("Watch of ConfextNode %s failed (%s); retrying", nodeName, t.toString());
            return true;
        });
        informer.start();
        return new NodeWatch(informer);
    }

    /** True while the watch is established: the API answers. */
    public boolean isWatching() {
        return informer.isWatching();
    }

    @Override
    public void close() {
        informer.stop();
    }
}
