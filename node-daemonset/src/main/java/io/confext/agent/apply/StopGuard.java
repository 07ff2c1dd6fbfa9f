package io.confext.agent.apply;

import org.jboss.logging.Logger;

/**
 * Whether the agent is stopping, and what that makes of a failure: while it stops, a failure is an abandonment (the
 * stop's interrupt, or a unit that the host's own shutdown stops, says nothing about the version), never a verdict.
 */
final class StopGuard {
    private static final Logger LOG = Logger.getLogger(SystemdHostApplier.class);
    /** Set by {@link #stopping()} from the stop's thread, read by the converge's. */
    private volatile boolean stopping;

    void stopping() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    /** Where a failure would become a verdict: while stopping, an abandonment instead. Returns {@code e} otherwise. */
    RuntimeException abandonedIfStopping(String what, RuntimeException e) {
        if (e instanceof ConvergeAbandoned || !stopping) {
            return e;
        }
        return abandoned(what + ": " + e, e);
    }

    ConvergeAbandoned abandoned(String why, Throwable cause) {
        LOG.infof("The agent is stopping: abandoned the converge (%s); the next start resumes it from state.json", why);
        return new ConvergeAbandoned("the agent is stopping: " + why, cause);
    }

    /** A failure verdict is about to be recorded: while stopping, abandon instead. */
    void noVerdictWhileStopping(String bundle, String verdict) {
        if (stopping) {
            throw abandoned(bundle + " would have been " + verdict, null);
        }
    }
}
