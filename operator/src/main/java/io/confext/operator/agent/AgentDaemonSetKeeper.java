package io.confext.operator.agent;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * Makes the agent DaemonSet in the cluster what {@link AgentDaemonSet} says: creates it when
 * missing, replaces its spec when the settings changed or someone changed the stored spec, else
 * does nothing.
 *
 * <p>Why two hashes: the API server fills in defaults (dnsPolicy, schedulerName, ...), so the
 * stored spec never equals the desired one and comparing them would rewrite the DaemonSet on every
 * reconcile (rolling every agent pod). The desired hash ({@value AgentDaemonSet#SPEC_HASH}) says
 * which settings were written; the stored hash ({@value #STORED_SPEC_HASH}) is the hash of the spec
 * exactly as the server returned it after that write, so any later edit of the stored spec is drift.
 */
public final class AgentDaemonSetKeeper {
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    static final String STORED_SPEC_HASH = "confext.io/stored-spec-hash";

    private final KubernetesClient client;
    private final DaemonSet desired;

    public AgentDaemonSetKeeper(KubernetesClient client, AgentSettings settings) {
        this.client = client;
        this.desired = AgentDaemonSet.desired(settings);
    }

    public Outcome reconcile() {
        Resource<DaemonSet> ds = client.apps().daemonSets()
                .inNamespace(desired.getMetadata().getNamespace()).withName(desired.getMetadata().getName());
        DaemonSet actual = ds.get();
        if (actual == null) {
            DaemonSet created = client.apps().daemonSets().inNamespace(desired.getMetadata().getNamespace())
                    .resource(desired).create();
            recordStoredSpec(ds, created);
            return Outcome.CREATED;
        }
        String want = desired.getMetadata().getAnnotations().get(AgentDaemonSet.SPEC_HASH);
        Map<String, String> ann = actual.getMetadata().getAnnotations();
        boolean settingsSame = ann != null && want.equals(ann.get(AgentDaemonSet.SPEC_HASH));
        boolean storedUntouched = ann != null && specHash(actual).equals(ann.get(STORED_SPEC_HASH));
        if (settingsSame && storedUntouched) {
            return Outcome.UNCHANGED;
        }
        DaemonSet updated = ds.edit(d -> {
            d.getMetadata().setLabels(desired.getMetadata().getLabels());
            d.getMetadata().getAnnotations().put(AgentDaemonSet.SPEC_HASH, want);
            d.setSpec(desired.getSpec());
            return d;
        });
        recordStoredSpec(ds, updated);
        return Outcome.UPDATED;
    }

    /** A metadata-only write: it does not change the spec, so it rolls no pod. */
    private static void recordStoredSpec(Resource<DaemonSet> ds, DaemonSet written) {
        String stored = specHash(written);
        ds.edit(d -> {
            d.getMetadata().getAnnotations().put(STORED_SPEC_HASH, stored);
            return d;
        });
    }

    private static String specHash(DaemonSet ds) {
        return AgentDaemonSet.hash(Serialization.asJson(ds.getSpec()));
    }
}
