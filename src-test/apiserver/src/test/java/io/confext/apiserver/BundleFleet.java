package io.confext.apiserver;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One bundle over a fixed set of simulated nodes, as the operator tests on the real API server watch it: read it, ask
 * whether the whole fleet runs a version, and wait for a condition with the agents' errors and the bundle's status in
 * the message when it times out.
 *
 * @param agents  read when a wait times out (the tests fill the list in their set-up)
 * @param watcher the client the timeout message reads the bundle with (the operator's, set up after this record)
 */
record BundleFleet(
        String bundle,
        List<String> nodes,
        Duration timeout,
        List<SimulatedAgent> agents,
        Supplier<KubernetesClient> watcher) {

    ConfextBundle get(KubernetesClient client) {
        return client.resources(ConfextBundle.class).withName(bundle).get();
    }

    /** The bundle's current version is {@code version} and every node runs it Active. */
    boolean on(KubernetesClient client, String version) {
        ConfextBundle b = get(client);
        if (b == null || b.getStatus() == null || !version.equals(b.getStatus().getCurrentVersion())) {
            return false;
        }
        long active = nodes.stream()
                .map(n -> client.resources(ConfextNode.class).withName(n).get())
                .filter(n -> n != null && n.getStatus() != null && n.getStatus().getBundles() != null)
                .filter(n -> n.getStatus().getBundles().stream()
                        .anyMatch(s -> bundle.equals(s.getName())
                                && s.getPhase() == BundlePhase.Active
                                && version.equals(s.getActiveVersion())))
                .count();
        return active == nodes.size();
    }

    static Condition condition(ConfextBundle b, String type) {
        if (b == null || b.getStatus() == null || b.getStatus().getConditions() == null) {
            return null;
        }
        return b.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    static String reason(ConfextBundle b, String type) {
        Condition c = condition(b, type);
        return c == null ? null : c.getReason();
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause(Duration.ofMillis(250));
        }
        StringBuilder why = new StringBuilder("timed out after " + timeout + " waiting for " + what);
        agents.stream()
                .filter(a -> a.lastError() != null)
                .forEach(a -> why.append("\nagent error: ").append(a.lastError().getMessage()));
        ConfextBundle b = null;
        try {
            b = get(watcher.get());
        } catch (RuntimeException e) {
            why.append("\n").append(e.getMessage());
        }
        if (b != null && b.getStatus() != null) {
            why.append("\nbundle status: ").append(Serialization.asJson(b.getStatus()));
        }
        throw new AssertionError(why);
    }
}
