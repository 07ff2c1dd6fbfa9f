package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import java.util.Optional;

/** Pure reading of a bundle's status: is version {@code version} fully rolled out, or has it failed? */
public final class RolloutOutcome {

    private RolloutOutcome() {}

    /** Complete: the status is of the current generation, {@code version} is current, every targeted node is ready. */
    public static boolean complete(ConfextBundle b, String version, int expectedNodes) {
        ConfextBundleStatus s = b == null ? null : b.getStatus();
        return s != null
                && version.equals(s.getCurrentVersion())
                && version.equals(s.getTargetVersion())
                && s.getTargeted() != null
                && s.getTargeted() == expectedNodes
                && s.getReady() != null
                && s.getReady() == expectedNodes
                && (s.getFailed() == null || s.getFailed() == 0)
                && s.getObservedGeneration() != null
                && s.getObservedGeneration().equals(b.getMetadata().getGeneration());
    }

    /** The Degraded condition's reason and message when it is True. */
    public static Optional<String> degraded(ConfextBundle b) {
        ConfextBundleStatus s = b == null ? null : b.getStatus();
        if (s == null || s.getConditions() == null) {
            return Optional.empty();
        }
        return s.getConditions().stream()
                .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason() + ": " + c.getMessage())
                .findFirst();
    }
}
