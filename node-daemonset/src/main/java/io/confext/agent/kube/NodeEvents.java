package io.confext.agent.kube;

import io.confext.agent.kube.NodeEventRules.NodeEvent;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on this node's ConfextNode ({@code kubectl describe confextnode NODE} shows them), in the
 * style of the operator's BundleEvents: a core/v1 Event whose reason is a word of the one catalogue. A repeated Event
 * of one series (bundle and reason) patches its object's count, as {@link NodeEventRules} decides.
 * <p>
 * A ConfextNode is cluster-scoped, and the API server accepts a core/v1 Event about a cluster-scoped object only in
 * "default" (where the kubelet's Node events live too), so that is the default namespace; the chart grants the agent
 * create and patch on Events there alone.
 * <p>
 * A failed write is logged and never fails a pass. An Event the API did not answer for is kept (one per series, the
 * newest) and sent at the end of a later pass, so a restore at start is told once the API answers.
 * Not thread-safe: the work loop's one thread makes every call.
 */
public final class NodeEvents {
    private static final Logger LOG = Logger.getLogger(NodeEvents.class);
    static final String COMPONENT = "confext-agent";

    private final KubernetesClient client;
    private final String namespace;
    private final String nodeName;
    private final Clock clock;
    /** Names this agent process's Event objects apart from its predecessor's (see {@link NodeEventRules#name}). */
    private final String agentStart;

    private final Map<NodeEventRules.Key, NodeEventRules.Series> series = new HashMap<>();
    private final Map<NodeEventRules.Key, NodeEvent> pending = new LinkedHashMap<>();

    public NodeEvents(KubernetesClient client, String namespace, String nodeName, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.nodeName = nodeName;
        this.clock = clock;
        this.agentStart = Long.toString(clock.millis(), 36);
    }

    /** Queues Events to be sent by the next {@link #flush}; a newer Event of a series replaces a queued one. */
    void queue(List<NodeEvent> events) {
        events.forEach(e -> pending.put(e.key(), e));
    }

    /** Sends the queued Events about {@code node}; those the API did not answer for stay queued. */
    void flush(ConfextNode node) {
        for (NodeEvent e : List.copyOf(pending.values())) {
            if (record(node, e)) {
                pending.remove(e.key());
            }
        }
    }

    /** Sends one Event now (nothing kept when it fails: a planned restart is news only before it happens). */
    void now(ConfextNode node, NodeEvent e) {
        record(node, e);
    }

    /** @return whether the Event is done with: written, or refused in a way a retry would not change */
    private boolean record(ConfextNode node, NodeEvent e) {
        NodeEventRules.Key key = e.key();
        String now = clock.instant().toString();
        NodeEventRules.Write write = NodeEventRules.write(
                Optional.ofNullable(series.get(key)), NodeEventRules.name(nodeName, agentStart, key));
        try {
            if (write instanceof NodeEventRules.Patch p) {
                try {
                    patch(p, e, now);
                    series.put(key, new NodeEventRules.Series(p.name(), p.count(), p.firstTimestamp()));
                    return true;
                } catch (KubernetesClientException ex) {
                    if (!NodeEventRules.startOverAfterPatch(ex.getCode())) {
                        throw ex;
                    }
                    series.remove(key); // expired by the API's Event TTL: a new object, under a new name
                    write = new NodeEventRules.Create(
                            NodeEventRules.name(nodeName, agentStart + "-" + Long.toString(clock.millis(), 36), key),
                            1);
                }
            }
            NodeEventRules.Create c = (NodeEventRules.Create) write;
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(event(node, c, e, now))
                    .create();
            series.put(key, new NodeEventRules.Series(c.name(), c.count(), now));
            return true;
        } catch (KubernetesClientException ex) {
            boolean retry = NodeEventRules.retryLater(ex.getCode());
            LOG.warnf(
                    "Could not record event %s about bundle %s on ConfextNode %s (%s): %s",
                    e.reason(),
                    e.bundle(),
                    nodeName,
                    retry ? "tried again after the next pass" : "dropped",
                    ex.getMessage());
            return !retry;
        } catch (RuntimeException ex) {
            LOG.warnf(
                    "Could not record event %s about bundle %s on ConfextNode %s: %s",
                    e.reason(), e.bundle(), nodeName, ex.getMessage());
            return true;
        }
    }

    private Event event(ConfextNode node, NodeEventRules.Create c, NodeEvent e, String now) {
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(c.name())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(node.getApiVersion())
                        .withKind(node.getKind())
                        .withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid())
                        .build())
                .withType(e.warning() ? "Warning" : "Normal")
                .withReason(e.reason().name())
                .withMessage(NodeEventRules.bounded(e.message()))
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(c.count())
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(nodeName)
                .endSource()
                .build();
    }

    /**
     * A merge patch of what a repeat changes: the count, the last time and the newest words. Sent as the object's
     * own patch: fabric8's patch by name with a JSON string reads the object first, which the agent may not (it has
     * create and patch on Events, no get).
     */
    private void patch(NodeEventRules.Patch p, NodeEvent e, String now) {
        Event repeat = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(p.name())
                .endMetadata()
                .withCount(p.count())
                .withLastTimestamp(now)
                .withMessage(NodeEventRules.bounded(e.message()))
                .build();
        client.v1().events().inNamespace(namespace).resource(repeat).patch(PatchContext.of(PatchType.JSON_MERGE));
    }
}
