package io.confext.operator.rollout;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;

/**
 * Whether a host can run a bundle, from the facts its agent reports in ConfextNode
 * {@code status.host}. Pure. A host that reported no facts yet is eligible: its agent still
 * refuses what it cannot do, as before.
 */
public final class NodeEligibility {
    /** systemd's first version with configuration extensions. */
    public static final int CONFEXT_SINCE = 254;
    /** systemd's first version whose {@code systemctl reload} refreshes a unit's extensions. */
    public static final int RELOAD_REFRESH_SINCE = 258;

    /** The host facts the decision reads (null: not reported). */
    public record Host(Boolean confext, Boolean refreshOnReload, Integer systemdVersion) {}

    private NodeEligibility() {}

    public static Eligibility of(Host host, Scope scope, ReloadMode reload) {
        if (host == null) {
            return Eligibility.ELIGIBLE;
        }
        String systemd = host.systemdVersion() == null ? "this host's systemd" : "systemd " + host.systemdVersion();
        boolean confext = host.confext() != null
                ? host.confext()
                : host.systemdVersion() == null || host.systemdVersion() >= CONFEXT_SINCE;
        if (!confext) {
            return Eligibility.notEligible(
                    Reason.ConfextUnsupported,
                    systemd + " has no configuration extensions (needs systemd >= " + CONFEXT_SINCE + ")");
        }
        boolean service = scope == null || scope == Scope.Service;
        boolean refresh = host.refreshOnReload() != null
                ? host.refreshOnReload()
                : host.systemdVersion() == null || host.systemdVersion() >= RELOAD_REFRESH_SINCE;
        if (service && (reload == null || reload == ReloadMode.Reload) && !refresh) {
            return Eligibility.notEligible(
                    Reason.ReloadRefreshUnsupported,
                    systemd
                            + " cannot refresh a unit's extensions on reload (needs systemd >= " + RELOAD_REFRESH_SINCE
                            + "); set spec.reload: ReloadOrRestart or Restart to include this node");
        }
        return Eligibility.ELIGIBLE;
    }
}
