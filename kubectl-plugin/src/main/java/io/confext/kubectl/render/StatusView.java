package io.confext.kubectl.render;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.NodeFailure;
import io.confext.api.v1alpha1.NotEligibleNode;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code kubectl confext status}: a bundle's rollout at a glance: versions, node counts, the wave in progress (the
 * Progressing condition), the nodes grouped by the version their entry asks for and the phase they report, the
 * conditions, the failures with their reasons and the nodes that cannot run it. Pure.
 */
public final class StatusView {
    private StatusView() {}

    public static List<String> render(ConfextBundle bundle, List<NodeReport> reports) {
        ConfextBundleStatus s = bundle.getStatus() == null ? new ConfextBundleStatus() : bundle.getStatus();
        List<String> out = new ArrayList<>();
        String name = bundle.getMetadata().getName();
        out.add("Name:        " + name);
        out.add("Version:     " + bundle.getSpec().getVersion()
                + (paused(bundle) ? " (paused: spec.rollout.paused)" : ""));
        out.add("Current:     " + version(s.getCurrentVersion(), s.getCurrentRevision()));
        out.add("Target:      " + version(s.getTargetVersion(), s.getTargetRevision()));
        out.add("Nodes:       " + n(s.getTargeted()) + " targeted, " + n(s.getUpdated()) + " updated, "
                + n(s.getReady()) + " ready, " + n(s.getFailed()) + " failed, " + n(s.getNotEligible())
                + " not eligible");
        Condition progressing = condition(s, "Progressing");
        out.add("Rollout:     "
                + (progressing == null
                        ? "(not reported yet)"
                        : progressing.getReason() + ": " + Objects.toString(progressing.getMessage(), "")));
        Long generation = bundle.getMetadata().getGeneration();
        if (generation != null && !generation.equals(s.getObservedGeneration())) {
            out.add("Note:        the status describes generation "
                    + (s.getObservedGeneration() == null ? "none" : s.getObservedGeneration())
                    + ", the spec is generation " + generation
                    + ": the operator has not acted on the latest change yet");
        }
        out.add("");
        out.add("Nodes by version and phase:");
        if (reports.isEmpty()) {
            out.add("  (no node has an entry for " + name + ")");
        }
        for (Map.Entry<String, List<String>> group : byVersionAndPhase(reports).entrySet()) {
            out.add("  " + group.getKey() + " (" + group.getValue().size() + "): "
                    + String.join(", ", group.getValue()));
        }
        if (s.getConditions() != null && !s.getConditions().isEmpty()) {
            out.add("");
            out.add("Conditions:");
            Table t = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
            s.getConditions().forEach(c -> t.row(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
            out.addAll(t.lines("  "));
        }
        if (s.getFailures() != null && !s.getFailures().isEmpty()) {
            out.add("");
            out.add("Failures:");
            Table t = new Table("NODE", "REASON", "SINCE", "MESSAGE");
            for (NodeFailure f : s.getFailures()) {
                t.row(f.getNode(), f.getReason(), f.getSince(), f.getMessage());
            }
            out.addAll(t.lines("  "));
            int shown = s.getFailures().size();
            if (s.getFailed() != null && s.getFailed() > shown) {
                out.add("  (" + (s.getFailed() - shown) + " more: kubectl confext nodes " + name + ")");
            }
        }
        if (s.getNotEligibleNodes() != null && !s.getNotEligibleNodes().isEmpty()) {
            out.add("");
            out.add("Not eligible:");
            Table t = new Table("NODE", "REASON", "MESSAGE");
            for (NotEligibleNode e : s.getNotEligibleNodes()) {
                t.row(e.getNode(), e.getReason(), e.getMessage());
            }
            out.addAll(t.lines("  "));
        }
        return out;
    }

    /** "wants 2.0, Active" -> node names, in version then phase order. */
    static Map<String, List<String>> byVersionAndPhase(List<NodeReport> reports) {
        return reports.stream()
                .sorted(Comparator.comparing(NodeReport::node))
                .collect(Collectors.groupingBy(
                        r -> (r.wants() == null ? "no entry" : "wants " + r.wants()) + ", " + r.phase(),
                        TreeMap::new,
                        Collectors.mapping(NodeReport::node, Collectors.toList())));
    }

    static Condition condition(ConfextBundleStatus s, String type) {
        return s.getConditions() == null
                ? null
                : s.getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }

    static boolean paused(ConfextBundle b) {
        return b.getSpec().getRollout() != null
                && Boolean.TRUE.equals(b.getSpec().getRollout().getPaused());
    }

    private static String version(String version, String revision) {
        return version == null ? "(none)" : version + (revision == null ? "" : " (" + revision + ")");
    }

    private static String n(Integer i) {
        return i == null ? "0" : i.toString();
    }
}
