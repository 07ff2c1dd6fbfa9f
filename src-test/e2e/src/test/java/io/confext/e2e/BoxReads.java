package io.confext.e2e;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.box.Box;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the process-mode e2e tests read from a box: a node's entry and status of a bundle, and a dump for failures. */
final class BoxReads {
    private BoxReads() {}

    static DesiredBundle entry(ConfextNode n, String bundle) {
        if (n == null || n.getSpec() == null || n.getSpec().getBundles() == null) {
            return null;
        }
        return n.getSpec().getBundles().stream()
                .filter(b -> bundle.equals(b.getName()))
                .findFirst()
                .orElse(null);
    }

    static BundleState state(ConfextNode n, String bundle) {
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return null;
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> bundle.equals(b.getName()))
                .findFirst()
                .orElse(null);
    }

    /** The bundles and nodes as YAML, then the tails of the operator's and each agent's log. */
    static String diagnostics(Box box) {
        StringBuilder b = new StringBuilder();
        try {
            Map<String, Object> dump = new LinkedHashMap<>();
            dump.put(
                    "bundles",
                    box.client().resources(ConfextBundle.class).list().getItems());
            dump.put("nodes", box.client().resources(ConfextNode.class).list().getItems());
            b.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(dump));
        } catch (RuntimeException e) {
            b.append("(cannot read the cluster: ").append(e.getMessage()).append(")\n");
        }
        b.append("--- operator log ---\n").append(box.operator().logTail(25)).append('\n');
        box.hosts()
                .forEach(h -> b.append("--- agent ")
                        .append(h.name())
                        .append(" ---\n")
                        .append(h.agent().logTail(15))
                        .append('\n'));
        return b.toString();
    }
}
