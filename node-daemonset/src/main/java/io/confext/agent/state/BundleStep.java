package io.confext.agent.state;

import java.util.Locale;

/**
 * The steps of a bundle's apply, one vocabulary for the journal, the {@code StepObserver} and the crash tests.
 *
 * <p>The journal ({@link BundleRecord#step()}) holds only the steps that can be in flight ({@link #journalled()}):
 * written atomically before the step starts, so that after a SIGKILL the next run knows what may be half done (a
 * staged copy to drop, a version renamed in but not yet proven). Their names are the words in {@code state.json}:
 * never rename one. Every other constant is a boundary the pipeline passes, journalled already, where the observer
 * is told (and the crash tests kill the agent) by its {@link #word()}.
 */
public enum BundleStep {
    /** Journal: nothing in flight. */
    IDLE(true),
    /** Journal: writing the new version under staging/ (invisible to systemd). Boundary: the journal says so. */
    STAGING(true),
    /** Journal: the new version is in the .v/ directory; units may or may not see it yet. */
    ACTIVATING(true),
    /** Journal: the new version failed; moving back to the previous one. Boundary: the journal says so. */
    ROLLING_BACK(true),
    /** Journal: the bundle is being taken off its units. Boundary: the journal says so. */
    REMOVING(true),

    /** Boundary: an image version is to be downloaded (journal STAGING). */
    FETCHING(false),
    /** Boundary: the new version is complete under staging/. */
    STAGED(false),
    /** Boundary: the new version was renamed into the .v/ directory (journal ACTIVATING). */
    RENAMED(false),
    /** Boundary: the units' drop-ins name the bundle. */
    ATTACHED(false),
    /** Boundary: the units were reloaded or restarted. */
    ACTIVATED(false),
    /** Boundary, last: the version is proven and recorded (journal IDLE). */
    PROVEN(false),
    /** Boundary, last: the previous version is back and recorded (journal IDLE). */
    ROLLED_BACK(false),
    /** Boundary: a rollback interrupted by a stop was closed on the next start (journal IDLE). */
    ROLLBACK_FINISHED(false),
    /** Boundary, last: the bundle is off the host and out of the journal. */
    REMOVED(false),
    /** Boundary, last: the failure is recorded (journal IDLE). */
    FAILED(false),
    /** Boundary, last: a proven unit failed, stopped, restarted or lost the version afterwards; recorded (journal IDLE). */
    DEGRADED(false);

    private final boolean journalled;

    BundleStep(boolean journalled) {
        this.journalled = journalled;
    }

    /** May be the journal's entry: a step that can be in flight when the agent dies. */
    public boolean journalled() {
        return journalled;
    }

    /** The word the observer, the crash drivers and their output use: {@code ROLLING_BACK} is "rolling-back". */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
