package io.confext.operator.agent;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Makes the agent DaemonSet in the cluster what {@link AgentDaemonSet} says: creates it when
 * missing, replaces its spec when the spec hash differs (drift or new settings), else does nothing.
 */
public final class AgentDaemonSetKeeper {
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final KubernetesClient client;
    private final DaemonSet desired;

    public AgentDaemonSetKeeper(KubernetesClient client, AgentSettings settings) {
        this.client = client;
        this.desired = AgentDaemonSet.desired(settings);
    }

    public Outcome reconcile() {
        var ds = client.apps().daemonSets().inNamespace(desired.getMetadata().getNamespace()).withName(desired.getMetadata().getName());
        DaemonSet actual = ds.get();
        if (actual == null) {
            client.apps().daemonSets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
            return Outcome.CREATED;
        }
        String want = desired.getMetadata().getAnnotations().get(AgentDaemonSet.SPEC_HASH);
        Map<String, String> ann = actual.getMetadata().getAnnotations();
        boolean hashSame = ann != null && want.equals(ann.get(AgentDaemonSet.SPEC_HASH));
        boolean specSame = hashSame && AgentDaemonSet.hash(io.fabric8.kubernetes.client.utils.Serialization.asJson(actual.getSpec()))
                .equals(want);
        if (specSame) {
            return Outcome.UNCHANGED;
        }
        ds.edit(d -> {
            d.getMetadata().setLabels(desired.getMetadata().getLabels());
            d.getMetadata().getAnnotations().put(AgentDaemonSet.SPEC_HASH, want);
            d.setSpec(desired.getSpec());
            return d;
        });
        return Outcome.UPDATED;
    }
}
