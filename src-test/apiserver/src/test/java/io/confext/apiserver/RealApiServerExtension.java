package io.confext.apiserver;

import io.confext.testbed.K8sBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real kube-apiserver + etcd for all test classes of the run (kept in JUnit's root
 * store, stopped when the run ends) and injects {@link ApiServer}. Skips the class, with the
 * command to run, when the binaries have not been built. Never downloads anything.
 */
final class RealApiServerExtension implements ExecutionCondition, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealApiServerExtension.class);

    /** Skipped, not failed, without the binaries: the message says how to build them. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        K8sBinaries binaries = K8sBinaries.find();
        return binaries.available()
                ? ConditionEvaluationResult.enabled(
                        "real API server binaries " + binaries.version().orElseThrow())
                : ConditionEvaluationResult.disabled(binaries.unavailableMessage());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ApiServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context).apiServer();
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> Running.start(K8sBinaries.find()), Running.class);
    }

    /** The started server; JUnit closes it at the end of the run. */
    record Running(KubeAPIServer server, ApiServer apiServer)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static Running start(K8sBinaries binaries) {
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(true)
                    .withTestDir(binaries.dir().toString())
                    .withApiServerVersion(binaries.version().orElseThrow())
                    .withUpdateKubeConfig(false)
                    .withStartupTimeout(120_000)
                    .build());
            server.start();
            String kubeConfig = server.getKubeConfigYaml();
            KubernetesClient admin = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeConfig))
                    .build();
            return new Running(server, new ApiServer(admin, kubeConfig));
        }

        @Override
        public void close() {
            apiServer.admin().close();
            server.stop();
        }
    }
}
