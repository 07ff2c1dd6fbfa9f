package io.confext.operator.it;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples the fleet as an outside observer: the largest number of nodes seen at once that were
 * asked for a version of the bundle but not (yet) Active on it, and the order nodes were asked.
 */
final class FleetMonitor implements Runnable, AutoCloseable {
    private final KubernetesClient client;
    private final String bundle;
    private final String version;
    final AtomicInteger maxUnavailable = new AtomicInteger();
    final List<String> assignmentOrder = new ArrayList<>();
    final Map<String, Long> assignedAt = new ConcurrentHashMap<>();
    final Map<String, Long> activeAt = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread;

    FleetMonitor(KubernetesClient client, String bundle, String version) {
        this.client = client;
        this.bundle = bundle;
        this.version = version;
        thread = new Thread(this, "monitor-" + bundle);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                int unavailable = 0;
                for (ConfextNode n : client.resources(ConfextNode.class).list().getItems()) {
                    String name = n.getMetadata().getName();
                    DesiredBundle d = n.getSpec() == null || n.getSpec().getBundles() == null
                            ? null
                            : n.getSpec().getBundles().stream()
                                    .filter(b -> bundle.equals(b.getName()))
                                    .findFirst()
                                    .orElse(null);
                    if (d == null || !version.equals(d.getVersion())) {
                        continue;
                    }
                    synchronized (assignmentOrder) {
                        if (!assignmentOrder.contains(name)) {
                            assignmentOrder.add(name);
                            assignedAt.put(name, System.nanoTime());
                        }
                    }
                    BundleState s = n.getStatus() == null || n.getStatus().getBundles() == null
                            ? null
                            : n.getStatus().getBundles().stream()
                                    .filter(b -> bundle.equals(b.getName()))
                                    .findFirst()
                                    .orElse(null);
                    boolean active = s != null
                            && s.getPhase() == BundlePhase.Active
                            && d.getRevision().getName().equals(s.getRevision());
                    if (active) {
                        activeAt.putIfAbsent(name, System.nanoTime());
                    } else {
                        unavailable++;
                    }
                }
                maxUnavailable.accumulateAndGet(unavailable, Math::max);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // keep sampling
            }
        }
    }

    List<String> order() {
        synchronized (assignmentOrder) {
            return List.copyOf(assignmentOrder);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
