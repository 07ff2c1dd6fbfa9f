package io.confext.operator.daemonset;

import io.confext.operator.ConfextConfig;
import io.confext.operator.cache.CacheTrim;
import io.confext.operator.cache.TrimmingItemStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Owns the node-agent DaemonSet: its primary is the operator's own Deployment (the one object that
 * exists exactly as long as the operator is installed), its one dependent the DaemonSet. Being a
 * controller, it runs only on the leader, and a deleted or edited DaemonSet is repaired as soon as
 * its informer reports it. Registered only when {@code confext.agent.managed} is true.
 */
@ControllerConfiguration(name = AgentReconciler.NAME)
public class AgentReconciler implements Reconciler<Deployment>, ConfigurableReconciler<Deployment> {
    public static final String NAME = "agent-daemonset";

    private final AgentSettings settings;
    private final String ownerDeployment;
    private AgentDaemonSetDependent daemonSet;

    @Inject
    public AgentReconciler(AgentSettings settings, ConfextConfig config) {
        this(settings, config.operator().deploymentName());
    }

    public AgentReconciler(AgentSettings settings, String ownerDeployment) {
        this.settings = settings;
        this.ownerDeployment = ownerDeployment;
    }

    /** Watch Deployments in the operator's namespace only, and react to the operator's own; cache them without managedFields. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Deployment> configuration) {
        configuration
                .settingNamespace(settings.namespace())
                .withItemStore(new TrimmingItemStore<>(CacheTrim::managedFields))
                .withGenericFilter(d -> ownerDeployment.equals(d.getMetadata().getName()));
    }

    @Override
    public List<EventSource<?, Deployment>> prepareEventSources(EventSourceContext<Deployment> context) {
        // built here, at registration, so a bad setting stops the start with its key named
        daemonSet = new AgentDaemonSetDependent(settings, ownerDeployment);
        return EventSourceUtils.dependentEventSources(context, daemonSet);
    }

    @Override
    public UpdateControl<Deployment> reconcile(Deployment operatorDeployment, Context<Deployment> context) {
        daemonSet.reconcile(operatorDeployment, context);
        return UpdateControl.noUpdate();
    }
}
