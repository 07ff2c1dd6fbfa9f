package io.confext.agent.apply;

import io.confext.agent.systemd.UnitProperties;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ReloadMode;
import java.time.Instant;

/**
 * Pure decisions for {@code Type=oneshot} units. Such a unit (with {@code RemainAfterExit=yes} it stays
 * "active (exited)") has no main process once it ran, so nothing can be reloaded and there is no mount namespace to
 * look into: the only way to make it use a new version is to run it again, and the only proof is that this run,
 * started after the activation began, succeeded. What it saw is not checked file by file as for a live process: the
 * status says the proof is from the last run.
 */
public final class OneshotRules {
    private OneshotRules() {}

    /**
     * What changes for the unit, judged by the version the agent last proved it ran with (there is no process to
     * read it from).
     *
     * @param lastProven version of the bundle the unit's last proven run used, null if none
     * @param target     the version it must end up with, null when it must run without the bundle
     */
    public static UnitChange change(String lastProven, String target, boolean detach) {
        if (target == null) {
            return lastProven == null ? UnitChange.UNCHANGED : UnitChange.DETACH;
        }
        if (target.equals(lastProven)) {
            return UnitChange.UNCHANGED;
        }
        if (lastProven == null) {
            return detach ? UnitChange.DETACH : UnitChange.FIRST_ATTACH;
        }
        return UnitChange.NEW_VERSION;
    }

    /** Run it again when the bundle's reload mode allows a restart; a reload would not do anything. */
    public static Activation plan(String unit, boolean active, UnitChange change, ReloadMode mode) {
        if (change == UnitChange.UNCHANGED) {
            return Activation.none(Reason.UpToDate, unit + " (Type=oneshot) last ran with the wanted state");
        }
        if (!active) {
            return Activation.none(
                    Reason.UnitInactive, unit + " (Type=oneshot) is not active: its next run will use the change");
        }
        if (mode == ReloadMode.None) {
            return Activation.none(
                    Reason.ReloadModeNone,
                    "spec.reload is None: " + unit
                            + " (Type=oneshot) uses the change only when someone else runs it again");
        }
        if (mode == ReloadMode.Restart || mode == ReloadMode.ReloadOrRestart) {
            return Activation.restart(
                    Reason.RunAgain,
                    "run " + unit + " again: it is Type=oneshot, a reload would not do"
                            + " anything and it has no process left that could re-read its configuration");
        }
        return Activation.fail(
                Reason.OneshotNeedsRestart,
                unit + " is Type=oneshot: it has no running process to reload, only"
                        + " running it again applies a new version, and spec.reload is " + mode
                        + "; set spec.reload: ReloadOrRestart (or Restart) to let the agent run it again");
    }

    public enum Verdict {
        PROVEN,
        WAIT,
        FAILED
    }

    public record Proof(Verdict verdict, String message) {}

    /**
     * Judges the unit's last run after it was run again.
     *
     * @param activationStartedUsec when the activation began, microseconds since the epoch: a run that started
     *                              before is the old one
     */
    public static Proof judge(String unit, String activeState, UnitProperties.LastRun run, long activationStartedUsec) {
        if (run.startedUsec() <= 0 || run.startedUsec() < activationStartedUsec) {
            return new Proof(Verdict.WAIT, unit + " (Type=oneshot) has not run since the activation began");
        }
        if ("activating".equals(activeState) || "deactivating".equals(activeState)) {
            return new Proof(Verdict.WAIT, unit + " (Type=oneshot) is still running");
        }
        String when = Instant.ofEpochMilli(run.startedUsec() / 1000).toString();
        if (!"success".equals(run.result()) || run.status() != 0) {
            return new Proof(
                    Verdict.FAILED,
                    unit + " (Type=oneshot): its run started at " + when + " failed (Result=" + run.result()
                            + ", exit status " + run.status() + ")");
        }
        return new Proof(
                Verdict.PROVEN,
                unit + " (Type=oneshot): proof from its last run, not a live process: the run"
                        + " started at " + when + (activationStartedUsec > 0 ? ", after the activation began," : "")
                        + " exited 0 (Result=success)");
    }
}
