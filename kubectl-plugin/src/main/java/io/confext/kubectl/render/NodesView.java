package io.confext.kubectl.render;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.HostFacts;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code kubectl confext nodes}: per node, the host (systemd version, agent Ready) and per bundle the version its
 * entry asks for, what the units see, the phase and its reason. With a bundle name only that bundle's rows. Pure.
 */
public final class NodesView {
    private NodesView() {}

    public static List<String> render(List<ConfextNode> nodes, String onlyBundle) {
        Table t = new Table("NODE", "SYSTEMD", "READY", "BUNDLE", "WANTS", "HAS", "PHASE", "UNITS SEE", "REASON");
        nodes.stream()
                .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
                .forEach(node -> {
                    String host = systemd(node);
                    String ready = ready(node);
                    List<String> bundles = bundleNames(node);
                    boolean any = false;
                    for (String b : bundles) {
                        if (onlyBundle != null && !onlyBundle.equals(b)) {
                            continue;
                        }
                        NodeReport r = NodeReport.of(node, b).orElseThrow();
                        t.row(
                                r.node(),
                                host,
                                ready,
                                b,
                                r.wants(),
                                r.has(),
                                r.phase(),
                                String.join(" ", r.units()),
                                r.reason());
                        any = true;
                    }
                    if (!any && onlyBundle == null) {
                        t.row(node.getMetadata().getName(), host, ready, "", "", "", "", "", "");
                    }
                });
        if (t.isEmpty()) {
            return List.of(
                    onlyBundle == null
                            ? "No ConfextNodes found."
                            : "No node has an entry for confextbundle " + onlyBundle + ".");
        }
        return t.lines("");
    }

    private static List<String> bundleNames(ConfextNode node) {
        List<String> names = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getBundles() != null) {
            node.getSpec().getBundles().forEach(d -> names.add(d.getName()));
        }
        if (node.getStatus() != null && node.getStatus().getBundles() != null) {
            node.getStatus().getBundles().stream()
                    .map(s -> s.getName())
                    .filter(n -> !names.contains(n))
                    .forEach(names::add);
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    private static String systemd(ConfextNode node) {
        HostFacts h = node.getStatus() == null ? null : node.getStatus().getHost();
        return h == null || h.getSystemdVersion() == null
                ? ""
                : h.getSystemdVersion().toString();
    }

    private static String ready(ConfextNode node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return "Unknown";
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .map(NodesView::readiness)
                .orElse("Unknown");
    }

    private static String readiness(Condition c) {
        return "True".equals(c.getStatus())
                ? "True"
                : Objects.toString(c.getStatus(), "Unknown") + " (" + c.getReason() + ")";
    }
}
