package io.confext.operator.app;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts fabric8's mock API server (CRUD, with the CRDs) for the whole Quarkus application. */
public class MockApiServerResource implements QuarkusTestResourceLifecycleManager {
    static KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(
                new io.fabric8.mockwebserver.Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()),
                false);
        server.init();
        try (KubernetesClient c = server.createClient()) {
            for (String crd : List.of("confextbundles.confext.io", "confextnodes.confext.io")) {
                try (InputStream in =
                        getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/" + crd + "-v1.yml")) {
                    c.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                            .create();
                }
            }
            c.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("confext-system")
                            .endMetadata()
                            .build())
                    .create();
            // the operator's own Deployment: the owner of the agent DaemonSet
            c.apps()
                    .deployments()
                    .inNamespace("confext-system")
                    .resource(new DeploymentBuilder()
                            .withNewMetadata()
                            .withName("confext-operator")
                            .withNamespace("confext-system")
                            .endMetadata()
                            .withNewSpec()
                            .endSpec()
                            .build())
                    .create();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.kubernetes-client.api-server-url",
                server.url("/"),
                "quarkus.kubernetes-client.trust-certs",
                "true",
                "quarkus.kubernetes-client.namespace",
                "confext-system");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
