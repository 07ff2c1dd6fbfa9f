package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.stream.Collectors;

/** A bundle's progress as one line of the live view. */
public record BundleSummary(
        String specVersion,
        String targetVersion,
        String currentVersion,
        int targeted,
        int updated,
        int ready,
        int failed,
        String conditions) {

    static BundleSummary of(ConfextBundle b) {
        ConfextBundleStatus s = b.getStatus();
        String spec = b.getSpec() == null ? null : b.getSpec().getVersion();
        if (s == null) {
            return new BundleSummary(spec, null, null, 0, 0, 0, 0, "");
        }
        List<Condition> conds = s.getConditions() == null ? List.of() : s.getConditions();
        String trueConditions = conds.stream()
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> c.getReason() == null ? c.getType() : c.getType() + "(" + c.getReason() + ")")
                .sorted()
                .collect(Collectors.joining(" "));
        return new BundleSummary(
                spec,
                s.getTargetVersion(),
                s.getCurrentVersion(),
                n(s.getTargeted()),
                n(s.getUpdated()),
                n(s.getReady()),
                n(s.getFailed()),
                trueConditions);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    String line(String bundle) {
        return "bundle %s: target %s (current %s) updated %d/%d, ready %d/%d, failed %d%s"
                .formatted(
                        bundle,
                        targetVersion == null ? specVersion : targetVersion,
                        currentVersion == null ? "-" : currentVersion,
                        updated,
                        targeted,
                        ready,
                        targeted,
                        failed,
                        conditions.isEmpty() ? "" : " [" + conditions + "]");
    }
}
