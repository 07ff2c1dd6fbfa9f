package io.confext.agent.verify;

import io.confext.api.version.UapiVersion;

import java.util.Optional;

/**
 * Rollback-attack protection: a version older than the newest one applied on this node is refused
 * unless the operator is rolling back on purpose. Ordering is the UAPI version comparison systemd
 * uses for {@code .v/} directories, so "older" means what systemd would pick against. Pure.
 */
public final class DowngradeCheck {
    private DowngradeCheck() {
    }

    public static Optional<Reason> check(String candidate, String newestApplied, boolean rollbackRequested) {
        if (candidate == null || newestApplied == null || rollbackRequested) {
            return Optional.empty();
        }
        if (UapiVersion.compare(candidate, newestApplied) < 0) {
            return Optional.of(new Reason(ReasonCode.DOWNGRADE, "version " + candidate + " is older than " + newestApplied
                    + ", the newest applied here; refused as a possible rollback attack (roll back through the bundle's rollout instead)"));
        }
        return Optional.empty();
    }
}
