package io.confext.operator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, from what is in the API, which revision each node should run for one bundle. Pure: no
 * I/O, no clock of its own, the same answer for the same input in any order.
 *
 * <p>Rules. A node is <em>available</em> on the target when its agent reports it Active on the
 * target revision and digest for at least minReadySeconds; every node assigned the target but not
 * available (in flight, proven too recently, or failed) is <em>unavailable</em>. New assignments
 * never raise the unavailable count above the budget ({@code maxUnavailable} of the targeted
 * count). The first {@code canary.count} assignments must all be available before any further
 * node is assigned. With {@code canary.nodeSelector} the canary nodes are the targeted nodes that match it (in the
 * rollout order, at most canary.count of them, or at most the budget without a count); no other node is assigned
 * until they are available, then the rest follow in the rollout order. No match: no canary step. Paused or halted rollouts assign nothing; a failure with onFailure Rollback
 * sends every matching node back to the stable revision (with a downgrade permit), or removes the
 * entry when no version was ever fully rolled out. Nodes leaving the selector lose their entry.
 * A target older than what the bundle delivered, which {@link UndoPlanner} allowed, is assigned
 * with the downgrade permit ({@code markRollback}). Nodes whose host cannot run the bundle
 * ({@link Eligibility}), or whose kind of host the target's image was not built for ({@link IncompatibleImages}), are
 * left as they are: never assigned, not counted, never halting. A node that reports
 * WaitingForUnitRestart (the bundle's {@code firstAttach: WaitForUnitRestart}) counts as updated, but neither as
 * ready/available nor as unavailable: it holds no maxUnavailable slot and halts nothing; the rollout is complete only
 * once it is proven, and while only such nodes are left it is WAITING_FOR_UNIT_RESTARTS, without a deadline. While
 * nodes match but none of them has a ready agent, a target not yet delivered is WAITING_FOR_AGENTS, not complete.
 */
public final class RolloutPlanner {
    /** Where the rollout order's keys come from: a memo of {@link RolloutOrder#key} gives the same plans. */
    private final RolloutOrder.Keys orderKeys;

    public RolloutPlanner() {
        this(null);
    }

    /** @param orderKeys {@link RolloutOrder#key} or a memo of it; null: hashed anew for every plan */
    public RolloutPlanner(RolloutOrder.Keys orderKeys) {
        this.orderKeys = orderKeys;
    }

    public RolloutPlan plan(RolloutInput in) {
        Objects.requireNonNull(in, "input");
        List<NodeView> judged = IncompatibleImages.apply(in.nodes(), in.target());
        List<NodeView> ordered = orderKeys == null
                ? RolloutOrder.sorted(in.bundle(), judged, NodeView::name)
                : RolloutOrder.sorted(in.bundle(), judged, NodeView::name, orderKeys);
        Facts f = facts(in, ordered);

        boolean startRollback = !in.rollingBack() && f.failed > 0 && in.policy().onFailure() == OnFailure.ROLLBACK;
        if (in.rollingBack() || startRollback) {
            return rollback(in, ordered, f, startRollback);
        }
        return forward(in, ordered, f);
    }

    private RolloutPlan forward(RolloutInput in, List<NodeView> ordered, Facts f) {
        RolloutRules p = in.policy();
        RevisionTarget target = in.target();
        boolean bySelector = p.canaryBySelector();
        int wanted = bySelector && p.canaryCount() == RolloutRules.CANARY_UP_TO_BUDGET ? f.budget : p.canaryCount();
        int canary = Math.min(wanted, bySelector ? f.canaryTargeted : f.targeted);
        boolean halted = f.failed > 0;
        boolean inCanary = (bySelector ? f.canaryAvailable : f.available) < canary;

        int allowance = 0;
        if (!p.paused() && !halted) {
            allowance = f.budget - f.unavailable;
            if (inCanary) {
                allowance = Math.min(allowance, canary - (bySelector ? f.canaryAssigned : f.assigned));
            }
        }

        List<NodeDecision> decisions = new ArrayList<>(ordered.size());
        List<String> assigned = new ArrayList<>();
        int pending = 0;
        for (NodeView n : ordered) {
            if (!n.matches()) {
                decisions.add(new NodeDecision(n.name(), null, n.desired() != null));
                continue;
            }
            if (!n.eligibleMatch()) {
                decisions.add(new NodeDecision(n.name(), n.desired(), false));
                continue;
            }
            boolean onTarget = n.desired() != null && n.desired().is(target);
            if (!onTarget && n.targeted()) {
                // during a canary by selector, only the matching nodes are the canary
                if (assigned.size() < allowance && !(inCanary && bySelector && !n.canaryCandidate())) {
                    assigned.add(n.name());
                    decisions.add(new NodeDecision(n.name(), new Assignment(target, in.markRollback()), true));
                    continue;
                }
                pending++;
            }
            decisions.add(new NodeDecision(n.name(), n.desired(), false));
        }

        RolloutState state;
        boolean targetDelivered = in.stable() != null && in.stable().name().equals(target.name());
        if (f.targeted == 0 && f.withoutReadyAgent > 0 && !targetDelivered) {
            // "complete" on no node would record the target as rolled out before any node had it
            state = RolloutState.WAITING_FOR_AGENTS;
        } else if (f.targeted == 0 && !f.notEligible.isEmpty()) {
            state = RolloutState.NO_ELIGIBLE_NODES;
        } else if (pending == 0 && assigned.isEmpty() && f.unavailable == 0 && f.available >= f.targeted) {
            state = RolloutState.COMPLETE;
        } else if (pending == 0
                && assigned.isEmpty()
                && f.unavailable == 0
                && f.waitingForUnitRestart > 0
                && f.available + f.waitingForUnitRestart >= f.targeted) {
            state = RolloutState.WAITING_FOR_UNIT_RESTARTS;
        } else if (halted) {
            state = RolloutState.HALTED;
        } else if (p.paused()) {
            state = RolloutState.PAUSED;
        } else if (inCanary) {
            state = RolloutState.CANARY;
        } else if (assigned.isEmpty() && f.provenNotAvailable > 0 && f.inFlight == 0) {
            state = RolloutState.WAITING;
        } else {
            state = RolloutState.PROGRESSING;
        }

        Instant lastProgress = assigned.isEmpty() ? f.lastProgress : in.now();
        Instant deadline = lastProgress.plusSeconds(p.progressDeadlineSeconds());
        boolean deadlineApplies =
                state == RolloutState.CANARY || state == RolloutState.PROGRESSING || state == RolloutState.WAITING;
        boolean exceeded = deadlineApplies && in.now().isAfter(deadline);
        Optional<Instant> recheck = f.nextAvailableAt;
        if (deadlineApplies && !exceeded) {
            recheck = earliest(recheck, Optional.of(deadline.plusMillis(1)));
        }
        return new RolloutPlan(
                state,
                decisions,
                assigned,
                f.failures,
                f.targeted,
                f.updated + assigned.size(),
                f.ready,
                f.available,
                f.failed,
                f.unavailable + assigned.size(),
                f.budget,
                false,
                exceeded,
                lastProgress,
                recheck,
                f.notEligible);
    }

    private RolloutPlan rollback(RolloutInput in, List<NodeView> ordered, Facts f, boolean started) {
        RevisionTarget stable = in.stable();
        List<NodeDecision> decisions = new ArrayList<>(ordered.size());
        boolean settled = true;
        for (NodeView n : ordered) {
            Assignment want;
            if (!n.matches()) {
                want = null;
            } else if (!n.eligibleMatch()) {
                want = n.desired(); // a host that cannot run the bundle is left as it is
            } else if (stable == null) {
                want = null;
            } else if (n.desired() != null && n.desired().is(stable)) {
                want = n.desired();
            } else {
                want = new Assignment(stable, n.desired() != null);
            }
            decisions.add(new NodeDecision(n.name(), want, !Objects.equals(want, n.desired())));
            if (n.targeted() && !settledOn(n.observed(), stable)) {
                settled = false;
            }
        }
        RolloutState state = settled ? RolloutState.ROLLED_BACK : RolloutState.ROLLING_BACK;
        return new RolloutPlan(
                state,
                decisions,
                List.of(),
                f.failures,
                f.targeted,
                f.updated,
                f.ready,
                f.available,
                f.failed,
                f.unavailable,
                f.budget,
                started,
                false,
                f.lastProgress,
                Optional.empty(),
                f.notEligible);
    }

    /** Whether a node's agent reports it is back on the stable revision (or has nothing, when there is none). */
    private static boolean settledOn(Observation o, RevisionTarget stable) {
        if (stable == null) {
            return o == null || o.phase() == NodePhase.REMOVED;
        }
        return o != null && o.isFor(stable) && o.phase() == NodePhase.ACTIVE;
    }

    private Facts facts(RolloutInput in, List<NodeView> ordered) {
        RevisionTarget target = in.target();
        Duration minReady = Duration.ofSeconds(in.policy().minReadySeconds());
        Facts f = new Facts();
        f.lastProgress = in.progressSince();
        List<FailureFact> failures = new ArrayList<>();
        List<RolloutPlan.NotEligibleNode> notEligible = new ArrayList<>();
        for (NodeView n : ordered) {
            if (n.notEligible()) {
                notEligible.add(new RolloutPlan.NotEligibleNode(
                        n.name(), n.eligibility().reason(), n.eligibility().message()));
            }
            if (!n.eligibleMatch()) {
                continue;
            }
            if (n.targeted()) {
                f.targeted++;
                f.canaryTargeted += n.canaryCandidate() ? 1 : 0;
            } else {
                f.withoutReadyAgent++;
            }
            Observation o = n.observed();
            if (o != null && o.isFor(target) && o.since() != null && o.since().isAfter(f.lastProgress)) {
                f.lastProgress = o.since();
            }
            boolean onTarget = n.desired() != null && n.desired().is(target);
            if (!onTarget) {
                continue;
            }
            f.assigned++;
            f.canaryAssigned += n.canaryCandidate() ? 1 : 0;
            if (n.targeted()) {
                f.updated++;
            }
            boolean reportsTarget = o != null && o.isFor(target);
            if (reportsTarget && o.failed()) {
                f.failed++;
                f.unavailable++;
                failures.add(new FailureFact(n.name(), o.reason(), o.message(), o.since()));
            } else if (reportsTarget && o.waitsForUnitRestart()) {
                // its units run on with the previous configuration: nothing is unavailable, nothing is proven
                f.waitingForUnitRestart++;
            } else if (reportsTarget && o.phase() == NodePhase.ACTIVE) {
                f.ready += n.targeted() ? 1 : 0;
                Instant availableAt = o.since() == null ? in.now() : o.since().plus(minReady);
                if (!availableAt.isAfter(in.now())) {
                    f.available += n.targeted() ? 1 : 0;
                    f.canaryAvailable += n.targeted() && n.canaryCandidate() ? 1 : 0;
                } else {
                    f.unavailable++;
                    f.provenNotAvailable++;
                    if (availableAt.isAfter(in.now())) {
                        f.nextAvailableAt = earliest(f.nextAvailableAt, Optional.of(availableAt));
                    }
                }
            } else {
                f.unavailable++;
                f.inFlight++;
            }
        }
        failures.sort(Comparator.comparing((FailureFact x) -> x.since() == null ? Instant.MAX : x.since())
                .thenComparing(FailureFact::node));
        f.failures = failures;
        f.notEligible = notEligible;
        f.budget = in.policy().maxUnavailable().resolve(f.targeted);
        return f;
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }

    /** Counters gathered in one pass over the nodes. */
    private static final class Facts {
        int targeted;
        /** Matching nodes whose host can run the bundle, as far as is known, but whose agent is not ready. */
        int withoutReadyAgent;

        int assigned;
        int updated;
        int ready;
        int available;
        int failed;
        int unavailable;
        int inFlight;
        /** Nodes on the target that wait for someone else's restart of their units: neither available nor unavailable. */
        int waitingForUnitRestart;

        int provenNotAvailable;
        /** The same counts for the nodes that match canary.nodeSelector. */
        int canaryTargeted;

        int canaryAssigned;
        int canaryAvailable;
        int budget;
        Instant lastProgress;
        Optional<Instant> nextAvailableAt = Optional.empty();
        List<FailureFact> failures = List.of();
        List<RolloutPlan.NotEligibleNode> notEligible = List.of();
    }
}
