package io.confext.box;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.DesiredBundle;

/**
 * One bundle on one node as the live view shows it: what the operator assigned (spec) and what the agent reports
 * (status). Any field may be null (not assigned yet, not reported yet).
 */
public record NodeBundleView(
        String assignedVersion, boolean rollback, String phase, String activeVersion, String reason, String message) {

    static NodeBundleView of(DesiredBundle desired, BundleState observed) {
        return new NodeBundleView(
                desired == null ? null : desired.getVersion(),
                desired != null && Boolean.TRUE.equals(desired.getRollback()),
                observed == null || observed.getPhase() == null
                        ? null
                        : observed.getPhase().name(),
                observed == null ? null : observed.getActiveVersion(),
                observed == null ? null : observed.getReason(),
                observed == null ? null : observed.getMessage());
    }

    /** Whether the difference to {@code other} is worth a line: assignment, phase or seen version changed. */
    boolean differsVisiblyFrom(NodeBundleView other) {
        return other == null
                || !java.util.Objects.equals(assignedVersion, other.assignedVersion)
                || rollback != other.rollback
                || !java.util.Objects.equals(phase, other.phase)
                || !java.util.Objects.equals(activeVersion, other.activeVersion)
                || !java.util.Objects.equals(reason, other.reason);
    }
}
