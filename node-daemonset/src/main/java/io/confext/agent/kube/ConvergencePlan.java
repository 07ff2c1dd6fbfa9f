package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Unresolved;
import java.util.List;
import java.util.Map;

/**
 * What one pass hands to the host.
 *
 * @param converge the exact set for {@code HostApplier.converge}, or {@code null} when the pass must
 *        hold (leave the host alone) because that set cannot be known; then {@code holdReason} says why
 * @param unresolved desired bundles whose new revision could not be used, by bundle name
 */
public record ConvergencePlan(
        List<DesiredBundleContent> converge, Map<String, Unresolved> unresolved, String holdReason) {

    public boolean holds() {
        return converge == null;
    }

    /** Unresolved bundles that are worth asking the API about again soon. */
    public boolean wantsRetry() {
        return unresolved.values().stream().anyMatch(Unresolved::retry);
    }
}
