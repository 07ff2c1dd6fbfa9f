package io.confext.operator.it;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.node.NodeReconciler;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * fabric8's mock API server in CRUD mode with the real CRDs (so the status subresource behaves),
 * the operator's reconcilers on a JOSDK {@link Operator} (SSA off: the mock server does not do
 * server-side apply), and simulated agents.
 */
final class MockCluster implements AutoCloseable {
    static final String NAMESPACE = "confext-system";
    final KubernetesMockServer server;
    final KubernetesClient client;
    final List<SimulatedAgent> agents = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Operator operator;
    Duration deletionTimeout = Duration.ofSeconds(30);

    MockCluster() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        client = server.createClient();
        for (String crd : List.of("confextbundles.confext.io", "confextnodes.confext.io")) {
            try (InputStream in = crd(crd)) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                                in, CustomResourceDefinition.class))
                        .create();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
    }

    /** The CRD the crds module generated (its jar), or the committed copy when that jar is being rebuilt. */
    private InputStream crd(String name) throws java.io.IOException {
        InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/" + name + "-v1.yml");
        if (in != null) {
            return in;
        }
        return java.nio.file.Files.newInputStream(java.nio.file.Path.of("..", "crds", name + ".yaml"));
    }

    void startOperator() {
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withStopOnInformerErrorDuringStartup(true));
        operator.register(new BundleReconciler(
                new OperatorSettings(NAMESPACE, deletionTimeout, NAMESPACE), Clock.systemUTC(), registry));
        operator.register(new NodeReconciler());
        operator.start();
    }

    void stopOperator() {
        operator.stop();
        operator = null;
    }

    Node addNode(String name, Map<String, String> labels) {
        return client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    SimulatedAgent addNodeWithAgent(String name, Map<String, String> labels, SimulatedAgent.Behaviour behaviour) {
        addNode(name, labels);
        SimulatedAgent agent = SimulatedAgent.start(client, name, behaviour);
        agents.add(agent);
        return agent;
    }

    /** Starts the agent of a node added without one. */
    SimulatedAgent startAgent(String name, SimulatedAgent.Behaviour behaviour) {
        SimulatedAgent agent = SimulatedAgent.start(client, name, behaviour);
        agents.add(agent);
        return agent;
    }

    void removeNode(String name) {
        agents.stream().filter(a -> a.node().equals(name)).forEach(SimulatedAgent::close);
        client.nodes().withName(name).delete();
        // the mock server has no garbage collector: do what the owner reference does in a cluster
        client.resources(ConfextNode.class).withName(name).delete();
    }

    static void await(String what, Duration timeout, BooleanSupplier ok) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (ok.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }

    @Override
    public void close() {
        agents.forEach(SimulatedAgent::close);
        if (operator != null) {
            operator.stop();
        }
        client.close();
        server.destroy();
    }
}
