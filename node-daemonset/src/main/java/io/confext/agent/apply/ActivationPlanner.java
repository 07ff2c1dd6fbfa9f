package io.confext.agent.apply;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;

/**
 * Pure decision: reload, restart, nothing, or refuse, for one unit. No I/O: every input is a plain value so each
 * branch is unit-tested.
 *
 * Facts behind it (checked on real systemd 262 and 257 hosts): a unit's mount namespace, and with it its
 * {@code ExtensionDirectories=} stack, is built when the unit starts, so the first extension of a unit that runs
 * without any (and taking off its last one) needs a restart. systemd >= 258 re-builds the stack of a unit that runs
 * with extensions on {@code systemctl reload} when the unit's {@code RefreshOnReload} contains {@code extensions}
 * (262 sets it by default for units with a vpick extension): it picks the newest entry of each {@code .v/}
 * directory, and it takes the drop-in's current list, so a further bundle added to the list (or one taken off while
 * others stay) is attached (detached) by reload with the same main process; 257 has no such property and a reload
 * leaves the stack as it was. Host-scope bundles are merged into the host's /etc by systemd-confext, which every
 * unit sees directly: a reload is enough there.
 */
public final class ActivationPlanner {
    /** First systemd release whose reload refreshes a unit's extensions. */
    public static final int REFRESH_ON_RELOAD_SINCE = 258;

    /**
     * @param stackOverlaps two of the unit's service-scope bundles (as they will be after this change) ship the same
     *                      path: a reload would re-stack them in the wrong order (see {@link #plan})
     */
    public record Input(
            Scope scope,
            int systemdVersion,
            boolean unitActive,
            boolean unitRefreshesOnReload,
            UnitChange change,
            ReloadMode mode,
            FirstAttach firstAttach,
            boolean stackOverlaps,
            String unit) {
        public Input {
            firstAttach = firstAttach == null ? FirstAttach.Restart : firstAttach;
        }

        /** Without bundles that overlay each other's paths on the unit. */
        public Input(
                Scope scope,
                int systemdVersion,
                boolean unitActive,
                boolean unitRefreshesOnReload,
                UnitChange change,
                ReloadMode mode,
                FirstAttach firstAttach,
                String unit) {
            this(scope, systemdVersion, unitActive, unitRefreshesOnReload, change, mode, firstAttach, false, unit);
        }

        /** With the default first attachment (Restart). */
        public Input(
                Scope scope,
                int systemdVersion,
                boolean unitActive,
                boolean unitRefreshesOnReload,
                UnitChange change,
                ReloadMode mode,
                String unit) {
            this(scope, systemdVersion, unitActive, unitRefreshesOnReload, change, mode, FirstAttach.Restart, unit);
        }
    }

    /**
     * Whether a unit's main process runs with extensions other than {@code bundle}: it sees extension names that the
     * host itself (PID 1, with its host-wide confexts) does not. Such a process has a per-unit extension stack.
     */
    /** Whether two of these layers (the relative paths each bundle ships) have a path in common. */
    public static boolean overlap(java.util.List<java.util.Set<String>> layers) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (java.util.Set<String> layer : layers) {
            for (String path : layer) {
                if (!seen.add(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static boolean runsWithOtherExtensions(
            java.util.Set<String> unitSees, java.util.Set<String> hostSees, String bundle) {
        return unitSees.stream().anyMatch(n -> !n.equals(bundle) && !hostSees.contains(n));
    }

    /**
     * How the unit's extension stack changes, from what its main process sees.
     *
     * @param target                  the version the unit must end up seeing; null: it must not see the bundle
     * @param detach                  the bundle is being taken off the unit (removal, or a rollback to no version)
     * @param verdictUnknown          the agent was stopped while it activated {@code target}
     * @param runsWithOtherExtensions the main process sees extensions of other bundles (entries in its
     *                                {@code /etc/extension-release.d/} that PID 1's lacks): its namespace has a stack
     *                                that a reload can re-build
     */
    public static UnitChange change(
            SeenVersion seen, String target, boolean detach, boolean verdictUnknown, boolean runsWithOtherExtensions) {
        if (target == null) {
            if (seen.version() == null) {
                return UnitChange.UNCHANGED;
            }
            return runsWithOtherExtensions ? UnitChange.PARTIAL_DETACH : UnitChange.DETACH;
        }
        if (seen.sees(target)) {
            return verdictUnknown ? UnitChange.UNPROVEN : UnitChange.UNCHANGED;
        }
        if (seen.version() != null) {
            return UnitChange.NEW_VERSION;
        }
        if (detach) { // going back to a version the unit never saw, while it sees none: nothing of the bundle to take
            // off
            return runsWithOtherExtensions ? UnitChange.PARTIAL_DETACH : UnitChange.DETACH;
        }
        return runsWithOtherExtensions ? UnitChange.FURTHER_ATTACH : UnitChange.FIRST_ATTACH;
    }

    public Activation plan(Input in) {
        if (in.change() == UnitChange.UNCHANGED) {
            return Activation.none(Reason.UpToDate, in.unit() + " already sees the wanted state");
        }
        if (!in.unitActive()) {
            return Activation.none(
                    Reason.UnitInactive, in.unit() + " is not running: it will see the change when it starts");
        }
        if (in.mode() == ReloadMode.None) {
            return Activation.none(
                    Reason.ReloadModeNone,
                    "spec.reload is None: " + in.unit()
                            + " sees the change only after its next restart, done by someone else");
        }
        if (in.scope() == Scope.Host) {
            return in.mode() == ReloadMode.Restart
                    ? Activation.restart(Reason.Restart, "restart " + in.unit() + " to re-read the host's /etc")
                    : Activation.reload("reload " + in.unit() + " to re-read the host's /etc");
        }
        if (in.change() == UnitChange.UNPROVEN) {
            // a restart's verdict is the unit's state, which the proof reads; a reload's verdict is only its job result
            return in.mode() == ReloadMode.Restart
                    ? Activation.none(
                            Reason.UpToDate,
                            in.unit() + " was restarted with the wanted version before the agent"
                                    + " stopped; its state is the verdict")
                    : Activation.reload(
                            "reload " + in.unit() + " again: the agent stopped before it learned whether the"
                                    + " reload of this version succeeded");
        }
        if (in.change() == UnitChange.FIRST_ATTACH && in.firstAttach() == FirstAttach.WaitForUnitRestart) {
            return Activation.none(
                    Reason.WaitingForUnitRestart,
                    in.unit() + " runs without extensions, and its first one is"
                            + " set up only when it starts; spec.firstAttach is WaitForUnitRestart: the agent leaves it running and"
                            + " proves the version once someone else restarts it (systemctl restart " + in.unit()
                            + ")");
        }
        if (in.change() == UnitChange.FIRST_ATTACH) {
            return Activation.restart(
                    Reason.NamespaceSetupAtStart,
                    "restart " + in.unit() + ": it runs without extensions,"
                            + " and a unit's first extension is set up only when it starts (spec.firstAttach: WaitForUnitRestart"
                            + " leaves that restart to you)");
        }
        if (in.change() == UnitChange.DETACH) {
            return Activation.restart(
                    Reason.NamespaceSetupAtStart,
                    "restart " + in.unit() + ": this was its last extension,"
                            + " and a unit's extension stack goes away only when it starts again");
        }
        boolean restacks = in.change() == UnitChange.FURTHER_ATTACH || in.change() == UnitChange.PARTIAL_DETACH;
        if (restacks && in.stackOverlaps() && in.mode() != ReloadMode.Restart) {
            // seen on systemd 262: the stack a reload re-builds lists the unit's extension directories the other way
            // round from the one built at start, so where two bundles ship one path the lower one would win
            return Activation.restart(
                    Reason.ReloadWouldReorder,
                    "restart " + in.unit() + ": bundles on it ship the same"
                            + " paths, and a reload would stack them in the wrong priority order (systemd re-stacks a unit's"
                            + " extensions in reverse on reload)");
        }
        // FURTHER_ATTACH, PARTIAL_DETACH and NEW_VERSION: the unit runs with a stack that a reload can re-build
        if (in.mode() == ReloadMode.Restart) {
            return Activation.restart(Reason.Restart, "restart " + in.unit() + " (spec.reload: Restart)");
        }
        boolean hostRefreshes = in.systemdVersion() >= REFRESH_ON_RELOAD_SINCE;
        if (hostRefreshes && in.unitRefreshesOnReload()) {
            return Activation.reload(
                    "reload " + in.unit() + ": systemd " + in.systemdVersion() + " refreshes its extensions on reload");
        }
        String why = hostRefreshes
                ? in.unit() + " does not refresh its extensions on reload (its RefreshOnReload= lacks 'extensions')"
                : "the host has systemd " + in.systemdVersion()
                        + ", which refreshes a unit's extensions only when it starts"
                        + " (systemctl reload refreshes them since systemd " + REFRESH_ON_RELOAD_SINCE + ")";
        if (in.mode() == ReloadMode.ReloadOrRestart) {
            return Activation.restart(Reason.RestartInsteadOfReload, "restart " + in.unit() + ": " + why);
        }
        return Activation.fail(
                Reason.ReloadCannotRefresh,
                why + "; set spec.reload: ReloadOrRestart (or Restart) to let the" + " agent restart " + in.unit()
                        + ", or upgrade the host to systemd >= " + REFRESH_ON_RELOAD_SINCE);
    }
}
