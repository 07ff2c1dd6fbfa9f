package io.confext.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.util.Collection;

/**
 * Builds the JOSDK {@link Operator} that runs the given reconcilers: the same assembly in the
 * packaged application ({@code OperatorProducer}) and in the tests on a real API server. Each
 * controller is configured by its annotations ({@code @ControllerConfiguration}, {@code @RateLimited});
 * a reconciler that needs run-time values (the agent's namespace) adjusts its own configuration
 * through {@link ConfigurableReconciler}.
 */
public final class OperatorAssembly {
    private OperatorAssembly() {}

    public static Operator create(
            KubernetesClient client,
            Metrics metrics,
            OperatorRuntime runtime,
            Collection<? extends Reconciler<? extends HasMetadata>> reconcilers) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(metrics)
                    // the client belongs to whoever made it (Quarkus, a test)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(runtime.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(runtime.serverSideApply());
            runtime.leaderElection().ifPresent(o::withLeaderElectionConfiguration);
        });
        reconcilers.forEach(r -> register(operator, r));
        return operator;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(Operator operator, Reconciler reconciler) {
        if (reconciler instanceof ConfigurableReconciler configurable) {
            operator.register(
                    reconciler,
                    o -> configurable.updateConfigurationFrom(
                            (io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider) o));
        } else {
            operator.register(reconciler);
        }
    }
}
