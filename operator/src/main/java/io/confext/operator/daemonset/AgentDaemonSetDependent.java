package io.confext.operator.daemonset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node-agent DaemonSet as a JOSDK dependent resource of the operator's Deployment: created when
 * missing, written when the settings changed or someone edited it, owned by the Deployment (so it
 * goes when the operator is uninstalled) and otherwise left alone. JOSDK writes it with server-side
 * apply or with a plain update, as configured.
 *
 * <p>Matching is by {@link AgentDaemonSet#upToDate} rather than JOSDK's generic matchers, so an
 * untouched DaemonSet is never rewritten on a real API server in either mode. After each write the
 * hash of the spec as stored is recorded with a metadata-only patch (it rolls no pod).
 */
public class AgentDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, Deployment>
        implements SecondaryToPrimaryMapper<DaemonSet> {
    private final DaemonSet desired;
    private final ResourceID owner;

    public AgentDaemonSetDependent(AgentSettings settings, String ownerDeployment) {
        super(DaemonSet.class);
        this.desired = AgentDaemonSet.desired(settings);
        this.owner = new ResourceID(ownerDeployment, settings.namespace());
    }

    /** JOSDK adds owner and bookkeeping metadata to what this returns: a fresh copy each time. */
    @Override
    protected DaemonSet desired(Deployment primary, Context<Deployment> context) {
        return Serialization.clone(desired);
    }

    /** By name rather than by owner reference, so a DaemonSet not owned yet (an older operator's) is found and adopted. */
    @Override
    public Set<ResourceID> toPrimaryResourceIDs(DaemonSet ds) {
        return desired.getMetadata().getName().equals(ds.getMetadata().getName())
                        && Objects.equals(
                                desired.getMetadata().getNamespace(),
                                ds.getMetadata().getNamespace())
                ? Set.of(owner)
                : Set.of();
    }

    @Override
    public Result<DaemonSet> match(
            DaemonSet actual, DaemonSet desired, Deployment primary, Context<Deployment> context) {
        return Result.computed(
                AgentDaemonSet.upToDate(actual, desired, primary.getMetadata().getUid()), desired);
    }

    @Override
    public DaemonSet create(DaemonSet desired, Deployment primary, Context<Deployment> context) {
        return recordStoredSpec(super.create(desired, primary, context), context);
    }

    @Override
    public DaemonSet update(DaemonSet actual, DaemonSet desired, Deployment primary, Context<Deployment> context) {
        // Without server-side apply JOSDK keeps the stored metadata but for labels and annotations:
        // put the owner reference on it here so an unowned DaemonSet is adopted in that mode too.
        return recordStoredSpec(super.update(withOwner(actual, primary), desired, primary, context), context);
    }

    private static DaemonSet withOwner(DaemonSet actual, Deployment primary) {
        DaemonSet copy = Serialization.clone(actual);
        boolean owned = copy.getMetadata().getOwnerReferences() != null
                && copy.getMetadata().getOwnerReferences().stream()
                        .map(OwnerReference::getUid)
                        .anyMatch(primary.getMetadata().getUid()::equals);
        if (!owned) {
            copy.addOwnerReference(primary);
        }
        return copy;
    }

    /** A metadata-only merge patch (no server-side apply needed): it does not change the spec, so it rolls no pod. */
    private static DaemonSet recordStoredSpec(DaemonSet written, Context<Deployment> context) {
        String patch = Serialization.asJson(Map.of(
                "metadata",
                Map.of("annotations", Map.of(AgentDaemonSet.STORED_SPEC_HASH, AgentDaemonSet.specHash(written)))));
        try {
            return context.getClient()
                    .apps()
                    .daemonSets()
                    .inNamespace(written.getMetadata().getNamespace())
                    .withName(written.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return written; // deleted meanwhile: its delete event brings the next reconcile, which creates it again
            }
            throw e;
        }
    }
}
