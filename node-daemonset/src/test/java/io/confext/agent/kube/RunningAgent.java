package io.confext.agent.kube;

import io.confext.agent.apply.HostApplier;
import io.confext.agent.health.AgentHealth;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The agent's Kubernetes side wired as AgentMain wires it, minus Quarkus. */
final class RunningAgent implements AutoCloseable {

    final AgentHealth health = new AgentHealth(Clock.systemUTC());
    final WorkLoop loop;
    final NodeWatch watch;

    RunningAgent(KubernetesClient client, String nodeName, HostApplier host) {
        NodePass reconciler = new NodePass(
                host,
                new RevisionReader(client),
                new StatusBuilder("test"),
                new StatusWriter(client),
                new NodeEvents(client, "default", nodeName, Clock.systemUTC()),
                health,
                Clock.systemUTC());
        loop = new WorkLoop(reconciler, client, nodeName, health, Duration.ofMillis(100));
        // Resync and heartbeat are driven by the tests (loop.resync()) so that they are deterministic.
        loop.start(Duration.ofHours(1), Duration.ofSeconds(1));
        watch = NodeWatch.start(client, nodeName, loop);
        health.apiConnection(watch::isWatching);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        watch.close();
        loop.close();
    }
}
