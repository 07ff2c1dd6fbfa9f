package io.confext.e2e;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.box.BoxSettings;
import io.confext.box.DemoBundles;
import io.confext.box.NodesBox;
import io.confext.box.RolloutOutcome;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BENCHMARKS.md "Wave overhead on the cluster in a box": issue #18's wave target measured as the product ships,
 * on real nodes (kubelets in booted systemd 262 hosts, the chart installed, agents as DaemonSet pods in the agent
 * image). The sample bundle with {@code maxUnavailable: 1}, {@code minReadySeconds: 0} goes through versions 2..N
 * one node at a time; a watch on the ConfextNodes stamps, on this machine's clock, when each node's entry names a
 * version (assigned) and when its status reports it {@code Active} (proven). Per gap between two waves it prints:
 * previous node proven -> next node assigned (the operator's part, with both watch hops), next node assigned ->
 * proven (the node's own activation), and proven -> proven. Not a test (no assertions, not run by Surefire):
 * <pre>
 * ./mvnw -B -o -DskipTests package -DbuildImages
 * java -cp src-test/e2e/target/test-classes:src-test/e2e/target/classes:$(cat src-test/e2e/target/box.classpath) \
 *     -Djava.util.logging.manager=java.util.logging.LogManager -Dconfext.repo.root=$PWD \
 *     -Dversions=4 io.confext.e2e.WaveGapBenchmark
 * </pre>
 */
public final class WaveGapBenchmark {

    private record Key(String node, String version) {}

    private final Map<Key, Instant> assigned = new ConcurrentHashMap<>();
    private final Map<Key, Instant> proven = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int versions = Integer.getInteger("versions", 4);
        new WaveGapBenchmark().run(versions);
        System.exit(0);
    }

    private void run(int versions) throws Exception {
        ConfextBundle sample = DemoBundles.sample();
        String name = sample.getMetadata().getName();
        try (NodesBox box = NodesBox.start(BoxSettings.defaultRepoRoot(), 3, System.out)) {
            int nodes = box.nodes().size();
            var watch = box.client().resources(ConfextNode.class).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfextNode n) {
                    stamp(n, name, Instant.now());
                }

                @Override
                public void onClose(WatcherException cause) {}
            });
            try {
                box.kubectlApply(DemoBundles.yaml());
                awaitComplete(box, name, sample.getSpec().getVersion(), nodes);
                List<Long> operator = new ArrayList<>();
                List<Long> activation = new ArrayList<>();
                List<Long> provenToProven = new ArrayList<>();
                for (int v = 2; v <= versions; v++) {
                    String version = v + ".0";
                    box.kubectlApply(DemoBundles.yaml()
                            .replace("version: \"1.0\"", "version: \"" + version + "\"")
                            .replace("demo 1.0", "demo " + version));
                    awaitComplete(box, name, version, nodes);
                    Thread.sleep(500); // the last watch events
                    List<String> order = assigned.keySet().stream()
                            .filter(k -> k.version().equals(version))
                            .sorted(Comparator.comparing(assigned::get))
                            .map(Key::node)
                            .toList();
                    StringBuilder line = new StringBuilder("[bench] version " + version + ", order " + order + ":");
                    for (int i = 1; i < order.size(); i++) {
                        Instant prevProven = proven.get(new Key(order.get(i - 1), version));
                        Instant nextAssigned = assigned.get(new Key(order.get(i), version));
                        Instant nextProven = proven.get(new Key(order.get(i), version));
                        if (prevProven == null || nextAssigned == null || nextProven == null) {
                            line.append(" (a stamp is missing)");
                            continue;
                        }
                        long op = Duration.between(prevProven, nextAssigned).toMillis();
                        long act = Duration.between(nextAssigned, nextProven).toMillis();
                        long p2p = Duration.between(prevProven, nextProven).toMillis();
                        operator.add(op);
                        activation.add(act);
                        provenToProven.add(p2p);
                        line.append(" gap ")
                                .append(i)
                                .append(": proven->assigned ")
                                .append(op)
                                .append(" ms, activation ")
                                .append(act)
                                .append(" ms, proven->proven ")
                                .append(p2p)
                                .append(" ms;");
                    }
                    System.out.println(line);
                }
                System.out.println("[bench] medians over " + operator.size() + " gaps: proven->next assigned "
                        + median(operator) + " ms, next node's activation " + median(activation)
                        + " ms, proven->next proven " + median(provenToProven) + " ms");
            } finally {
                watch.close();
            }
        }
    }

    private void stamp(ConfextNode n, String bundle, Instant at) {
        String node = n.getMetadata().getName();
        if (n.getSpec() != null && n.getSpec().getBundles() != null) {
            for (DesiredBundle d : n.getSpec().getBundles()) {
                if (bundle.equals(d.getName()) && d.getVersion() != null) {
                    assigned.putIfAbsent(new Key(node, d.getVersion()), at);
                }
            }
        }
        if (n.getStatus() != null && n.getStatus().getBundles() != null) {
            for (BundleState s : n.getStatus().getBundles()) {
                if (bundle.equals(s.getName()) && s.getPhase() == BundlePhase.Active && s.getActiveVersion() != null) {
                    proven.putIfAbsent(new Key(node, s.getActiveVersion()), at);
                }
            }
        }
    }

    private static void awaitComplete(NodesBox box, String name, String version, int nodes)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (!RolloutOutcome.complete(
                box.client().resources(ConfextBundle.class).withName(name).get(), version, nodes)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " " + version + " not complete in 5 min\n" + box.diagnostics());
            }
            Thread.sleep(100);
        }
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
