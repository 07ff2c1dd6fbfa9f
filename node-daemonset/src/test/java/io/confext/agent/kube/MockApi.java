package io.confext.agent.kube;

import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in CRUD mode (ConfextNode with its status subresource), a client for the
 * test's own setup that talks to it directly, and a client for the agent that goes through an
 * {@link ApiProxy} the test can cut. Every request the server saw is kept for assertions.
 */
final class MockApi implements AutoCloseable {

    static final String AGENT_USER_AGENT = "confext-agent-under-test";

    final KubernetesMockServer server;
    final KubernetesClient admin;
    final ApiProxy proxy;
    final KubernetesClient agentClient;
    private final List<RecordedRequest> seen = new ArrayList<>();

    MockApi() throws IOException {
        CustomResourceDefinitionContext nodes = new CustomResourceDefinitionContext.Builder()
                .withGroup("confext.io")
                .withVersion("v1alpha1")
                .withKind("ConfextNode")
                .withPlural("confextnodes")
                .withScope("Cluster")
                .withStatusSubresource(true)
                .build();
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>(), List.of(nodes)),
                false);
        server.init();
        admin = server.createClient();
        proxy = new ApiProxy(server.getPort());
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(proxy.url())
                .withTrustCerts(true)
                .withRequestRetryBackoffLimit(0)
                .withWatchReconnectInterval(200)
                .withConnectionTimeout(2000)
                .withRequestTimeout(5000)
                .withUserAgent(AGENT_USER_AGENT)
                .build();
        agentClient = new KubernetesClientBuilder().withConfig(config).build();
    }

    ConfextNode node(String name) {
        return admin.resources(ConfextNode.class).withName(name).get();
    }

    /** All requests the server received so far (the agent's and the test's own). */
    synchronized List<RecordedRequest> requests() throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            seen.add(r);
        }
        return List.copyOf(seen);
    }

    /** The requests the agent sent, as "METHOD path?query". */
    List<String> agentRequests() throws InterruptedException {
        return requests().stream()
                .filter(r -> AGENT_USER_AGENT.equals(r.getHeader("User-Agent")))
                .map(r -> r.getMethod() + " " + r.getPath())
                .toList();
    }

    @Override
    public void close() throws IOException {
        agentClient.close();
        admin.close();
        proxy.close();
        server.destroy();
    }
}
