package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Prints the rollout as it happens: polls the ConfextNodes and ConfextBundles twice a second and prints what
 * changed (a line per node and phase change, a summary line per bundle). Polling rather than watching keeps it
 * indifferent to API server restarts and to objects appearing late.
 */
public final class LiveView implements AutoCloseable {

    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KubernetesClient client;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;
    private RolloutSnapshot last = RolloutSnapshot.EMPTY;

    private LiveView(KubernetesClient client, PrintStream out) {
        this.client = client;
        this.out = out;
        this.thread = new Thread(this::loop, "box-live-view");
        this.thread.setDaemon(true);
    }

    public static LiveView start(KubernetesClient client, PrintStream out) {
        LiveView v = new LiveView(client, out);
        v.thread.start();
        return v;
    }

    private void loop() {
        while (running) {
            try {
                catchUp();
            } catch (RuntimeException e) {
                if (running) {
                    out.println("[live view] cannot read the cluster: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Prints what changed since the last poll, now: the caller saw an outcome (from the bundle's status) that the
     * next poll, up to half a second away, would only show after the caller's own summary lines.
     */
    public synchronized void catchUp() {
        RolloutSnapshot now = RolloutSnapshot.of(
                client.resources(ConfextNode.class).list().getItems(),
                client.resources(ConfextBundle.class).list().getItems());
        String time = LocalTime.now().format(HH_MM_SS);
        now.changesSince(last).forEach(line -> out.println(time + " " + line));
        last = now;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
