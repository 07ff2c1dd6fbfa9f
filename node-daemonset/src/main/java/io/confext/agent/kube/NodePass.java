package io.confext.agent.kube;

import io.confext.agent.apply.ConvergeAbandoned;
import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.apply.HostApplier;
import io.confext.agent.apply.ProgressListener;
import io.confext.agent.health.AgentHealth;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One pass of the agent over its ConfextNode: resolve every desired revision, decide the set for the
 * host, converge the host (only when that set changed, or when forced by the periodic resync), and
 * write the status if it changed. Not thread-safe: the work loop's single thread runs every pass.
 * <p>
 * API errors propagate as {@code KubernetesClientException} before the host is touched (revision
 * reads) or after it converged (status write); the loop retries the pass, which then skips the
 * converge because the set is unchanged (a due resync stays due until a converge really ran).
 */
public final class NodePass {

    private static final Logger LOG = Logger.getLogger(NodePass.class);

    /** What the loop needs to know after a pass. */
    public record PassResult(boolean retrySoon, boolean converged, boolean statusWritten) {}

    /** The identity of a set handed to the host (content is fixed by revision + digest). */
    private record Entry(String name, String revision, String digest, boolean rollback) {}

    private final HostApplier host;
    private final RevisionReader revisions;
    private final ConvergencePlanner planner = new ConvergencePlanner();
    private final StatusBuilder statusBuilder;
    private final StatusWriter statusWriter;
    private final AgentHealth health;
    private final NodeEvents events;
    private final Clock clock;

    private Map<String, DesiredBundleContent> lastApplied = Map.of();
    private List<Entry> lastSet;
    private List<BundleState> lastStates;
    /**
     * What the start restored without the API, by bundle: told in the status of the first converge, and cleared only
     * once a status write carrying it succeeded (a write that fails, or a converge that throws, keeps it for the next
     * pass).
     */
    private Map<String, String> restored = Map.of();
    /** A periodic resync asked for a converge although the set did not change; cleared once one ran. */
    private boolean resyncDue;

    public NodePass(
            HostApplier host,
            RevisionReader revisions,
            StatusBuilder statusBuilder,
            StatusWriter statusWriter,
            NodeEvents events,
            AgentHealth health,
            Clock clock) {
        this.host = host;
        this.revisions = revisions;
        this.statusBuilder = statusBuilder;
        this.statusWriter = statusWriter;
        this.events = events;
        this.health = health;
        this.clock = clock;
    }

    /**
     * The agent is stopping: the host side abandons, rather than fails, a converge that goes wrong from now on
     * ({@link HostApplier#stopping()}); such a pass throws {@link ConvergeAbandoned} and writes no status.
     */
    public void stopping() {
        host.stopping();
    }

    /** The next pass converges the host even if the desired set is unchanged (drift repair). */
    public void requestResync() {
        resyncDue = true;
    }

    /**
     * At the agent's start, before any API call: the host side puts back what it had proven (see
     * {@link HostApplier#restoreFromLocalState()}). A failure here is logged: the first pass with the API converges anyway.
     */
    public void restoreFromLocalState() {
        try {
            restored = Map.copyOf(host.restoreFromLocalState());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Restoring from local state failed (%s); the first pass with the API converges the host",
                    e.getMessage());
        }
    }

    /** A bundle that the start restored and this converge found Active on that version says so (see {@link #restored}). */
    private List<BundleState> withRestored(List<BundleState> states) {
        if (restored.isEmpty()) {
            return states;
        }
        for (BundleState s : states) {
            String what = restored.get(s.getName());
            if (what != null
                    && s.getPhase() == BundlePhase.Active
                    && s.getActiveVersion() != null
                    && what.startsWith("version " + s.getActiveVersion() + " ")) {
                s.setReason(io.confext.api.status.Reason.RestoredFromLocalState.name());
                s.setMessage(what + "; " + s.getMessage());
            }
        }
        return states;
    }

    public PassResult pass(ConfextNode node) {
        HostView hostView = checkHost();
        List<DesiredBundle> desired = node.getSpec() == null || node.getSpec().getBundles() == null
                ? List.of()
                : node.getSpec().getBundles();
        Map<String, RevisionRead> resolutions = new LinkedHashMap<>();
        for (DesiredBundle bundle : desired) {
            resolutions.put(bundle.getName(), revisions.read(bundle));
        }
        ConvergencePlan plan = planner.plan(desired, resolutions, lastApplied, onHost(node.getStatus()));
        if (plan.holds()) {
            LOG.warnf("Not converging node %s: %s", name(node), plan.holdReason());
        }

        List<BundleState> hostStates = null;
        boolean converged = false;
        if (!plan.holds() && hostView.isReachable()) {
            List<Entry> set = plan.converge().stream()
                    .map(c -> new Entry(c.name(), c.revision(), c.digest(), c.rollback()))
                    .toList();
            if (resyncDue || lastStates == null || !set.equals(lastSet)) {
                try {
                    ProgressReport progress = new ProgressReport(node);
                    lastStates = List.copyOf(withRestored(host.converge(plan.converge(), progress)));
                    node = progress.current;
                    // from a converge that ran only: a pass that reuses lastStates must not tell a repair twice
                    events.queue(NodeEventRules.fromConverge(lastStates));
                    if (Thread.interrupted()) {
                        // Not ours to keep: a pending interrupt would fail the status write that follows.
                        LOG.warn("The host side returned with the thread's interrupt flag set; cleared it");
                    }
                    lastSet = set;
                    lastApplied = plan.converge().stream()
                            .collect(Collectors.toMap(DesiredBundleContent::name, c -> c, (a, b) -> a));
                    converged = true;
                    resyncDue = false;
                    LOG.infof("Converged node %s to %s", name(node), set);
                } catch (ConvergeAbandoned e) {
                    // The agent is stopping: the host recorded no verdict, so neither does the status. The next
                    // agent resumes from the host's journal and reports what it finds.
                    throw e;
                } catch (RuntimeException e) {
                    // converge() reports per-bundle failures in its result; a throw means the host as a whole failed.
                    LOG.errorf(e, "Converging node %s failed", name(node));
                    lastSet = null;
                    lastStates = null;
                    hostView = HostView.unreachable("converge failed: " + e.getMessage());
                    health.hostChecked(false, hostView.error());
                }
            }
            hostStates = lastStates;
        }
        ConfextNodeStatus status = statusBuilder.build(
                node.getMetadata().getGeneration(),
                hostView,
                desired,
                hostStates,
                plan,
                node.getStatus(),
                clock.instant());
        boolean written;
        try {
            written = statusWriter.write(node, status);
        } finally {
            events.flush(node); // never throws: an Event that could not be written never fails the pass
        }
        if (written && converged && !restored.isEmpty()) {
            restored = Map.of(); // told: the next converge reports what it finds
        }
        return new PassResult(plan.wantsRetry() || plan.holds() || !hostView.isReachable(), converged, written);
    }

    /**
     * Writes a bundle's step into the status while the host works (a long download shows as Fetching, then
     * Verified), and keeps the object the API returned so the pass's final write carries the newest
     * resourceVersion. A failed report is logged and dropped: the final write says what happened anyway.
     */
    private final class ProgressReport implements ProgressListener {
        private ConfextNode current;

        ProgressReport(ConfextNode node) {
            this.current = node;
        }

        @Override
        public void reached(DesiredBundleContent bundle, BundlePhase phase, Reason reason, String message) {
            // before the host acts on it: a planned restart is an Event while it is still news
            NodeEventRules.fromProgress(bundle.name(), bundle.content().version(), reason, message)
                    .ifPresent(e -> events.now(current, e));
            var status = statusBuilder.progress(current.getStatus(), bundle, phase, reason, message, clock.instant());
            if (status.isEmpty()) {
                return;
            }
            try {
                current = statusWriter.writeAndGet(current, status.get());
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Could not report %s of bundle %s on node %s: %s",
                        phase, bundle.name(), name(current), e.getMessage());
            }
        }
    }

    /** Asks host systemd for its facts; the answer also feeds readiness. */
    public HostView checkHost() {
        try {
            HostView view = HostView.reachable(host.facts());
            health.hostChecked(
                    true,
                    view.facts() == null
                            ? "reachable"
                            : "systemd " + view.facts().getSystemdVersion());
            return view;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            health.hostChecked(false, why);
            return HostView.unreachable(why);
        }
    }

    private static Set<String> onHost(ConfextNodeStatus status) {
        if (status == null || status.getBundles() == null) {
            return Set.of();
        }
        return status.getBundles().stream()
                .filter(b -> b.getActiveVersion() != null && b.getPhase() != BundlePhase.Removed)
                .map(BundleState::getName)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    private static String name(ConfextNode node) {
        return node.getMetadata().getName();
    }
}
