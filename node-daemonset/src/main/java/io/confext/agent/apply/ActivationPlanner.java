package io.confext.agent.apply;

import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;

/**
 * Pure decision: reload, restart, nothing, or refuse, for one unit. No I/O: every input is a plain value so each
 * branch is unit-tested.
 *
 * Facts behind it (checked on real systemd 262 and 257 hosts): a unit's mount namespace, and with it its
 * {@code ExtensionDirectories=} stack, is built when the unit starts, so attaching or detaching a bundle needs a
 * restart. systemd >= 258 re-picks the newest entry of the unit's {@code .v/} directories on {@code systemctl
 * reload} when the unit's {@code RefreshOnReload} contains {@code extensions} (262 sets it by default for units with
 * a vpick extension); 257 has no such property and a reload leaves the old version in place. Host-scope bundles are
 * merged into the host's /etc by systemd-confext, which every unit sees directly: a reload is enough there.
 */
public final class ActivationPlanner {
    /** First systemd release whose reload refreshes a unit's extensions. */
    public static final int REFRESH_ON_RELOAD_SINCE = 258;

    public record Input(Scope scope, int systemdVersion, boolean unitActive, boolean unitRefreshesOnReload,
                        UnitChange change, ReloadMode mode, String unit) {
    }

    public Activation plan(Input in) {
        if (in.change() == UnitChange.UNCHANGED) {
            return Activation.none("UpToDate", in.unit() + " already sees the wanted state");
        }
        if (!in.unitActive()) {
            return Activation.none("UnitInactive", in.unit() + " is not running: it will see the change when it starts");
        }
        if (in.mode() == ReloadMode.None) {
            return Activation.none("ReloadModeNone", "spec.reload is None: " + in.unit()
                    + " sees the change only after its next restart, done by someone else");
        }
        if (in.scope() == Scope.Host) {
            return in.mode() == ReloadMode.Restart
                    ? Activation.restart("Restart", "restart " + in.unit() + " to re-read the host's /etc")
                    : Activation.reload("reload " + in.unit() + " to re-read the host's /etc");
        }
        if (in.change() == UnitChange.UNPROVEN) {
            // a restart's verdict is the unit's state, which the proof reads; a reload's verdict is only its job result
            return in.mode() == ReloadMode.Restart
                    ? Activation.none("UpToDate", in.unit() + " was restarted with the wanted version before the agent"
                            + " stopped; its state is the verdict")
                    : Activation.reload("reload " + in.unit() + " again: the agent stopped before it learned whether the"
                            + " reload of this version succeeded");
        }
        if (in.change() == UnitChange.FIRST_ATTACH || in.change() == UnitChange.DETACH) {
            return Activation.restart("NamespaceSetupAtStart", "restart " + in.unit()
                    + ": a unit's extension stack is set up when it starts, so adding or removing a bundle needs a restart");
        }
        if (in.mode() == ReloadMode.Restart) {
            return Activation.restart("Restart", "restart " + in.unit() + " (spec.reload: Restart)");
        }
        boolean hostRefreshes = in.systemdVersion() >= REFRESH_ON_RELOAD_SINCE;
        if (hostRefreshes && in.unitRefreshesOnReload()) {
            return Activation.reload("reload " + in.unit() + ": systemd " + in.systemdVersion()
                    + " refreshes its extensions on reload");
        }
        String why = hostRefreshes
                ? in.unit() + " does not refresh its extensions on reload (its RefreshOnReload= lacks 'extensions')"
                : "the host has systemd " + in.systemdVersion() + ", which refreshes a unit's extensions only when it starts"
                        + " (systemctl reload refreshes them since systemd " + REFRESH_ON_RELOAD_SINCE + ")";
        if (in.mode() == ReloadMode.ReloadOrRestart) {
            return Activation.restart("RestartInsteadOfReload", "restart " + in.unit() + ": " + why);
        }
        return Activation.fail("ReloadCannotRefresh", why + "; set spec.reload: ReloadOrRestart (or Restart) to let the"
                + " agent restart " + in.unit() + ", or upgrade the host to systemd >= " + REFRESH_ON_RELOAD_SINCE);
    }
}
