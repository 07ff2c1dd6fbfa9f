package io.confext.agent.apply;

import io.confext.api.version.UapiVersion;
import java.util.Optional;

/** Version rollback protection: an older version than the newest applied one only when the operator rolls back. */
public final class DowngradeGuard {
    private DowngradeGuard() {}

    /** A refusal message, or empty when the version may be applied. */
    public static Optional<String> check(String bundle, String wanted, String newestApplied, boolean rollback) {
        if (newestApplied == null || rollback || UapiVersion.compare(wanted, newestApplied) >= 0) {
            return Optional.empty();
        }
        return Optional.of("bundle " + bundle + ": version " + wanted + " is older than " + newestApplied
                + ", already applied on this node; a downgrade is only done when the operator rolls back"
                + " (spec.bundles[].rollback: true), to block version rollback attacks");
    }
}
