package io.confext.box;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the cluster says about rollouts at one moment: per node and bundle the {@link NodeBundleView}, per bundle
 * the {@link BundleSummary}. {@link #changesSince} is the live view's pure core: the lines to print between two
 * snapshots.
 */
public record RolloutSnapshot(Map<String, Map<String, NodeBundleView>> nodes, Map<String, BundleSummary> bundles) {

    public static final RolloutSnapshot EMPTY = new RolloutSnapshot(Map.of(), Map.of());

    public static RolloutSnapshot of(List<ConfextNode> cxns, List<ConfextBundle> cxbs) {
        Map<String, Map<String, NodeBundleView>> nodes = new TreeMap<>();
        for (ConfextNode n : cxns) {
            Map<String, DesiredBundle> desired = new TreeMap<>();
            if (n.getSpec() != null && n.getSpec().getBundles() != null) {
                n.getSpec().getBundles().forEach(d -> desired.put(d.getName(), d));
            }
            Map<String, BundleState> observed = new TreeMap<>();
            if (n.getStatus() != null && n.getStatus().getBundles() != null) {
                n.getStatus().getBundles().forEach(s -> observed.put(s.getName(), s));
            }
            Map<String, NodeBundleView> views = new TreeMap<>();
            TreeSet<String> names = new TreeSet<>(desired.keySet());
            names.addAll(observed.keySet());
            names.forEach(b -> views.put(b, NodeBundleView.of(desired.get(b), observed.get(b))));
            nodes.put(n.getMetadata().getName(), views);
        }
        Map<String, BundleSummary> bundles = new TreeMap<>();
        cxbs.forEach(b -> bundles.put(b.getMetadata().getName(), BundleSummary.of(b)));
        return new RolloutSnapshot(nodes, bundles);
    }

    /** One line per node/bundle whose assignment, phase or seen version changed, then one per changed bundle. */
    public List<String> changesSince(RolloutSnapshot before) {
        List<String> lines = new ArrayList<>();
        nodes.forEach((node, views) -> views.forEach((bundle, now) -> {
            NodeBundleView was = before.nodes.getOrDefault(node, Map.of()).get(bundle);
            if (now.differsVisiblyFrom(was)) {
                lines.add(nodeLine(node, bundle, was, now));
            }
        }));
        before.nodes.forEach((node, views) -> views.keySet().forEach(bundle -> {
            if (!nodes.getOrDefault(node, Map.of()).containsKey(bundle)) {
                lines.add("node %s: %s gone (no assignment, no report)".formatted(node, bundle));
            }
        }));
        bundles.forEach((bundle, now) -> {
            if (!Objects.equals(now, before.bundles.get(bundle))) {
                lines.add(now.line(bundle));
            }
        });
        before.bundles.keySet().stream()
                .filter(b -> !bundles.containsKey(b))
                .forEach(b -> lines.add("bundle %s: deleted".formatted(b)));
        return lines;
    }

    private static String nodeLine(String node, String bundle, NodeBundleView was, NodeBundleView now) {
        StringBuilder b = new StringBuilder("node ").append(node).append(": ").append(bundle);
        b.append(" assigned ").append(now.assignedVersion() == null ? "-" : now.assignedVersion());
        if (now.rollback()) {
            b.append(" (rollback)");
        }
        String wasPhase = was == null || was.phase() == null ? "-" : was.phase();
        String phase = now.phase() == null ? "-" : now.phase();
        b.append(", ").append(wasPhase.equals(phase) ? phase : wasPhase + " -> " + phase);
        if (now.activeVersion() != null) {
            b.append(", sees ").append(now.activeVersion());
        }
        if (now.reason() != null && !now.reason().isBlank()) {
            b.append(" (").append(now.reason());
            if (now.message() != null && !now.message().isBlank()) {
                b.append(": ").append(now.message().lines().findFirst().orElse(""));
            }
            b.append(')');
        }
        return b.toString();
    }
}
