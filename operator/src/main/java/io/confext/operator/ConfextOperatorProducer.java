package io.confext.operator;

import io.confext.operator.daemonset.AgentReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Replaces QOSDK's default {@link Operator} bean (QOSDK still starts it, stops it and reports its
 * health) so that server-side apply and leader election follow {@code confext.operator.*} at run
 * time: QOSDK reads both at build time, so {@code CONFEXT_OPERATOR_LEADER_ELECTION_ENABLED=false}
 * was ignored in the prod profile and server-side apply could not be switched off at all.
 */
public class ConfextOperatorProducer {
    private static final Logger LOG = Logger.getLogger(ConfextOperatorProducer.class);

    @Produces
    @ApplicationScoped
    Operator operator(
            QuarkusConfigurationService qosdk,
            ConfextConfig config,
            MeterRegistry registry,
            @Any Instance<Reconciler<? extends HasMetadata>> beans) {
        OperatorRuntime runtime = OperatorRuntime.from(config);
        List<Reconciler<? extends HasMetadata>> reconcilers = beans.stream()
                .<Reconciler<? extends HasMetadata>>map(ClientProxy::unwrap)
                .filter(r -> config.agent().managed() || !(r instanceof AgentReconciler))
                .toList();
        LOG.infof(
                "controllers %s; server-side apply %s; leader election %s",
                reconcilers.stream().map(r -> r.getClass().getSimpleName()).toList(),
                runtime.serverSideApply() ? "on" : "off",
                runtime.leaderElection()
                        .map(l -> "on (Lease " + l.getLeaseNamespace().orElse("?") + "/" + l.getLeaseName() + ")")
                        .orElse("off"));
        if (!config.agent().managed()) {
            LOG.info("confext.agent.managed=false: the agent DaemonSet is left to the chart");
        }
        return OperatorAssembly.create(qosdk.getKubernetesClient(), metrics(registry), runtime, reconcilers);
    }

    /**
     * JOSDK's reconcile and event metrics per controller and resource kind, without a tag for each
     * resource's name. QOSDK's default collects per resource: with one reconcile of each of 2,000 Nodes
     * that made 20,886 meters (~6,000 with a percentile histogram, ~17 MB of heap, BENCHMARKS.md) and
     * a /q/metrics page that grows with the cluster. Per-bundle figures come from confext_bundle_nodes.
     */
    static Metrics metrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
