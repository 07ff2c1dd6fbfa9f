package io.confext.agent.kube;

import io.confext.agent.apply.ConvergeAbandoned;
import io.confext.agent.health.AgentHealth;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.ExponentialBackoffIntervalCalculator;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The agent's single worker. Watch events only replace the latest desired object (the newest wins,
 * intermediate versions are skipped) and wake the worker; one thread runs every pass, so the host
 * is never converged twice at once. A failed pass (API error, revision not there yet, host
 * unreachable) is retried with exponential backoff (fabric8's calculator: initial delay doubling up
 * to 32x). A periodic resync re-runs converge on the last object seen, so a drifted host is
 * repaired; it needs no API, so it also keeps working while the API is unreachable. An idle tick
 * beats the liveness heartbeat and re-checks that host systemd answers.
 * <p>
 * {@link #close()} (SIGTERM: Quarkus' shutdown) takes no new work, lets the pass in flight finish for up to
 * {@link GracefulStop#GRACE}, then interrupts it; the host side was told first that the agent is stopping, so an
 * interrupted pass is abandoned (no quarantine, rollback, Failed state or status write) and the next agent resumes it.
 */
public final class WorkLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkLoop.class);

    private final NodePass nodePass;
    private final KubernetesClient client;
    private final String nodeName;
    private final AgentHealth health;
    private final ExponentialBackoffIntervalCalculator backoff;
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean closing;

    private final AtomicReference<ConfextNode> latest = new AtomicReference<>();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicBoolean forceNext = new AtomicBoolean();
    /** Touched only on the worker thread. */
    private int failedAttempts;

    private ScheduledFuture<?> retry;

    public WorkLoop(
            NodePass nodePass,
            KubernetesClient client,
            String nodeName,
            AgentHealth health,
            Duration retryInitialDelay) {
        this.nodePass = nodePass;
        this.client = client;
        this.nodeName = nodeName;
        this.health = health;
        this.backoff = new ExponentialBackoffIntervalCalculator(
                (int) retryInitialDelay.toMillis(), ExponentialBackoffIntervalCalculator.UNLIMITED_RETRIES);
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "confext-agent-loop");
            t.setDaemon(true);
            return t;
        });
        // once closing, a queued pass or a scheduled retry must not start new work
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Restores the host from local state, then starts the periodic resync and the heartbeat tick. */
    public void start(Duration resyncPeriod, Duration heartbeatInterval) {
        // first on the one worker thread, before any pass: needs no API, so a reboot with the API down loses nothing
        executor.execute(nodePass::restoreFromLocalState);
        executor.scheduleWithFixedDelay(
                this::resync, resyncPeriod.toMillis(), resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::tick, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A watch event: this is now the desired state. Safe from any thread. */
    public void submit(ConfextNode node) {
        latest.set(node);
        wake();
    }

    /**
     * The ConfextNode was deleted. The host keeps what it has: a deletion is not a request to strip
     * the node's config (the operator empties {@code spec.bundles} for that), and it is what an
     * uninstall or a mistaken {@code kubectl delete} looks like.
     */
    public void forget() {
        latest.set(null);
        LOG.warnf("ConfextNode %s was deleted; leaving the host as it is and waiting for it to come back", nodeName);
    }

    /** Runs a converge on the next pass even when the desired set did not change. */
    public void resync() {
        forceNext.set(true);
        wake();
    }

    private void wake() {
        if (closing) {
            return;
        }
        if (wakeQueued.compareAndSet(false, true)) {
            executor.execute(this::runPass);
        }
    }

    private void runPass() {
        wakeQueued.set(false);
        if (closing) {
            return;
        }
        ConfextNode node = latest.get();
        health.beat();
        if (node == null) {
            return;
        }
        if (forceNext.getAndSet(false)) {
            nodePass.requestResync();
        }
        try {
            NodePass.PassResult result = nodePass.pass(node);
            if (result.retrySoon()) {
                scheduleRetry("revisions missing or host unreachable");
            } else {
                failedAttempts = 0;
                cancelRetry();
            }
        } catch (ConvergeAbandoned e) {
            LOG.infof("Stopping: the pass over node %s was abandoned (%s)", nodeName, e.getMessage());
            return;
        } catch (KubernetesClientException e) {
            if (closing) {
                LOG.infof("Stopping: the pass over node %s ended with an API error: %s", nodeName, e.getMessage());
                return;
            }
            if (e.getCode() == 409) {
                refreshAfterConflict();
            }
            LOG.debug("API error in a pass", e);
            scheduleRetry("API error " + e.getCode() + ": " + e.getMessage() + rootCause(e));
        } catch (RuntimeException e) {
            if (closing) {
                LOG.infof("Stopping: the pass over node %s ended with %s", nodeName, e);
                return;
            }
            LOG.error("Unexpected failure in a pass; retrying", e);
            scheduleRetry(e.toString());
        } catch (Error e) {
            LOG.error("Fatal failure in a pass", e);
            throw e;
        }
        health.beat();
    }

    /** The status write lost a race with the operator's spec write: read the newer object. */
    private void refreshAfterConflict() {
        ConfextNode seen = latest.get();
        try {
            ConfextNode fresh =
                    client.resources(ConfextNode.class).withName(nodeName).get();
            if (fresh != null) {
                // Only if no watch event replaced the object meanwhile (that one is at least as new).
                latest.compareAndSet(seen, fresh);
            }
        } catch (KubernetesClientException e) {
            LOG.debugf("Re-reading ConfextNode %s after a conflict failed: %s", nodeName, e.getMessage());
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : " (" + root + ")";
    }

    private void scheduleRetry(String why) {
        if (closing) {
            return;
        }
        long delay = backoff.getInterval(failedAttempts);
        failedAttempts++;
        LOG.infof("Retrying node %s in %d ms (attempt %d): %s", nodeName, delay, failedAttempts, why);
        cancelRetry();
        retry = executor.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void tick() {
        health.beat();
        nodePass.checkHost();
    }

    /** Stops the loop within the pod's termination grace: see {@link #close(Duration, Duration)}. */
    @Override
    public void close() {
        close(GracefulStop.GRACE, GracefulStop.AFTER_INTERRUPT);
    }

    /**
     * Takes no new work, tells the host side the agent is stopping, lets the pass in flight finish for up to
     * {@code grace}, then interrupts it and waits {@code afterInterrupt} more.
     *
     * @return whether the pass in flight (if any) finished without an interrupt
     */
    public boolean close(Duration grace, Duration afterInterrupt) {
        closing = true;
        nodePass.stopping();
        return GracefulStop.stop(executor, grace, afterInterrupt, "work loop");
    }
}
