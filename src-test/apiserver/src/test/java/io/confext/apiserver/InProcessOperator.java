package io.confext.apiserver;

import io.confext.operator.OperatorAssembly;
import io.confext.operator.OperatorRuntime;
import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.node.NodeReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's reconcilers in the test's JVM, assembled as the packaged operator assembles them (server-side apply,
 * the default), with the chart's operator ServiceAccount token of a release: what the operator may do is what the
 * chart's RBAC and admission policy allow, on the real API server.
 */
final class InProcessOperator implements AutoCloseable {
    private final KubernetesClient client;
    private final Operator operator;

    private InProcessOperator(KubernetesClient client, Operator operator) {
        this.client = client;
        this.operator = operator;
    }

    /** Started; the chart of {@code release} must be installed in {@code namespace}. */
    static InProcessOperator start(ApiServer server, String namespace, String release) {
        return start(server, namespace, release, new SimpleMeterRegistry());
    }

    /** @param registry where the bundle reconciler's rollout metrics go */
    static InProcessOperator start(ApiServer server, String namespace, String release, MeterRegistry registry) {
        KubernetesClient client = server.withToken(Tokens.unbound(server.admin(), namespace, release));
        Operator operator = OperatorAssembly.create(
                client,
                Metrics.NOOP,
                new OperatorRuntime(true, Optional.empty()),
                List.of(
                        new BundleReconciler(
                                new OperatorSettings(namespace, Duration.ofSeconds(30), "default"),
                                Clock.systemUTC(),
                                registry),
                        new NodeReconciler()));
        operator.start();
        return new InProcessOperator(client, operator);
    }

    /** The operator's own client (its token), e.g. to read what it may read. */
    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
    }
}
