package io.confext.agent.kube;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * How the agent stops its worker on SIGTERM: no new work, a bounded wait for the work in flight, then an interrupt
 * and a short wait more. It fits the pod's terminationGracePeriodSeconds (30 s) with {@link #GRACE} +
 * {@link #AFTER_INTERRUPT}. What the interrupt cuts short is abandoned, not failed: the host side was told it is
 * stopping first (see {@code HostApplier.stopping()}).
 */
public final class GracefulStop {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class);

    /** How long the work in flight may take to finish on its own. */
    public static final Duration GRACE = Duration.ofSeconds(20);
    /** How long an interrupted worker may take to reach its next safe point and return. */
    public static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private GracefulStop() {}

    /**
     * Shuts {@code executor} down: what is running gets {@code grace} to finish, then it is interrupted and gets
     * {@code afterInterrupt} more. Queued and periodic tasks do not run again (a scheduled executor needs
     * {@code setExecuteExistingDelayedTasksAfterShutdownPolicy(false)} for its delayed ones).
     *
     * @return whether the work in flight finished within {@code grace}, without an interrupt
     */
    public static boolean stop(ExecutorService executor, Duration grace, Duration afterInterrupt, String what) {
        executor.shutdown();
        boolean interruptedHere = false;
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            interruptedHere = true;
        }
        LOG.warnf(
                "The %s did not finish its work within %d s of the stop; interrupting it: the work is abandoned"
                        + " and resumed on the next start",
                what, grace.toSeconds());
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(afterInterrupt.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf(
                        "The %s still runs %d s after the interrupt; leaving it to the process exit (the host's"
                                + " journal in state.json is resumed on the next start, as after a SIGKILL)",
                        what, afterInterrupt.toSeconds());
            }
        } catch (InterruptedException e) {
            interruptedHere = true;
        }
        if (interruptedHere) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
