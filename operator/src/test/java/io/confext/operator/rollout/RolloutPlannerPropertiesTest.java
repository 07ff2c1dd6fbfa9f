package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random fleets and random event orders (agents progress, fail, go unready, nodes join and leave,
 * time passes, pause toggles) against the planner's invariants. Every agent reports with a clock
 * of its own (up to a day off the operator's, either way); the reports go through a
 * {@link ReportClock} as in the reconciler, and the invariants are stated on the operator's time:
 * when the world first showed the operator a node's report in its present state.
 */
class RolloutPlannerPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionTarget OLD = new RevisionTarget("b-old", "sha256:01", "1");
    static final RevisionTarget NEW = new RevisionTarget("b-new", "sha256:02", "2");

    enum Kind {
        PROVE,
        FAIL,
        PROGRESS,
        UNREADY,
        READY,
        JOIN,
        LEAVE,
        UNMATCH,
        TICK,
        PAUSE,
        RESUME
    }

    record Event(Kind kind, int pick) {}

    @Provide
    Arbitrary<RolloutRules> policies() {
        Arbitrary<MaxUnavailable> max = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 6).map(MaxUnavailable::count),
                Arbitraries.integers().between(1, 100).map(MaxUnavailable::percent));
        // canary by selector in half the cases; a count of 5 there stands for "no count: up to maxUnavailable"
        return Combinators.combine(
                        max,
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.of(OnFailure.class),
                        Arbitraries.of(false, true))
                .as((m, c, r, f, sel) -> new RolloutRules(
                        m, sel && c == 5 ? RolloutRules.CANARY_UP_TO_BUDGET : Math.min(c, 4), r, 600, false, f, sel));
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> e = Combinators.combine(
                        Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1000))
                .as(Event::new);
        return e.list().ofMinSize(1).ofMaxSize(120);
    }

    /** The state of the world the planner is driven through; planning happens after every event. */
    static final class World {
        final Fleet fleet;
        final RolloutRules basePolicy;
        boolean paused;
        Instant now = T0;
        int joined;
        final RolloutPlanner planner = new RolloutPlanner();
        final RevisionTarget stable;
        boolean rollingBack;
        final ReportClock reportClock = new ReportClock();
        final long skewSeed;
        /** healthyFleetAlwaysCompletes: when the first node reported Active, and the first and last assignments. */
        Instant firstProvenAt;

        Instant firstAssignedAt;

        Instant lastAssignedAt;
        /** Each node's agent clock minus the operator's, in seconds. */
        final java.util.Map<String, Long> skew = new java.util.HashMap<>();
        /** When the operator first saw each node's present report (phase and revision): the only time that counts. */
        final java.util.Map<String, Instant> seen = new java.util.HashMap<>();

        World(int size, RolloutRules p, boolean withStable) {
            this(size, p, withStable, 0);
        }

        /** @param skewSeed chooses each agent's clock offset (a day behind to a day ahead) */
        World(int size, RolloutRules p, boolean withStable, long skewSeed) {
            this.skewSeed = skewSeed;
            fleet = Fleet.of(size);
            fleet.nodes
                    .values()
                    .forEach(n -> n.canary = n.name.hashCode() % 3 == 0); // some nodes carry the canary label
            basePolicy = p;
            stable = withStable ? OLD : null;
            if (withStable) {
                fleet.nodes.values().forEach(n -> {
                    n.desired = Assignment.forward(OLD);
                    n.observed = new Observation(
                            NodePhase.ACTIVE, OLD.name(), OLD.digest(), T0.minusSeconds(3600), "Proven", "");
                    seen.put(n.name, T0);
                });
            }
        }

        RolloutRules policy() {
            return basePolicy.withPaused(paused);
        }

        RolloutPlan plan() {
            List<NodeView> timed = reportClock.stampAll("bundle", fleet.views(), now, null);
            RolloutPlan plan =
                    planner.plan(new RolloutInput("bundle", policy(), NEW, stable, rollingBack, T0, timed, now));
            fleet.apply(plan);
            if (plan.rollbackStarted()) {
                rollingBack = true;
            }
            return plan;
        }

        /** The agent of {@code n} reports its desired revision, with its own clock's since. */
        void report(Fleet.Node n, NodePhase phase) {
            boolean same = n.observed != null && n.observed.phase() == phase && n.observed.isFor(n.desired.revision());
            long off = skew.computeIfAbsent(
                    n.name, k -> new java.util.Random(skewSeed ^ k.hashCode()).nextLong(-86_400, 86_401));
            fleet.report(n.name, phase, now.plusSeconds(off));
            if (!same) {
                seen.put(n.name, now);
            }
        }

        /** Proven for minReadySeconds on the operator's clock. */
        boolean availableOnNew(Fleet.Node n) {
            return n.observed != null
                    && n.observed.isFor(NEW)
                    && n.observed.phase() == NodePhase.ACTIVE
                    && !seen.get(n.name)
                            .plusSeconds(basePolicy.minReadySeconds())
                            .isAfter(now);
        }

        Fleet.Node pick(int i) {
            List<Fleet.Node> all = new ArrayList<>(fleet.nodes.values());
            return all.isEmpty() ? null : all.get(i % all.size());
        }

        void apply(Event e) {
            Fleet.Node n = pick(e.pick());
            switch (e.kind()) {
                case PROVE -> {
                    if (n != null && n.desired != null) {
                        report(n, NodePhase.ACTIVE);
                    }
                }
                case FAIL -> {
                    // only a node that was sent somewhere new can fail it
                    if (n != null
                            && n.desired != null
                            && (n.observed == null || !n.observed.isFor(n.desired.revision()))) {
                        report(n, NodePhase.FAILED);
                    }
                }
                case PROGRESS -> {
                    if (n != null
                            && n.desired != null
                            && (n.observed == null || !n.observed.isFor(n.desired.revision()))) {
                        report(n, NodePhase.FETCHING);
                    }
                }
                case UNREADY -> {
                    if (n != null) {
                        n.ready = false;
                    }
                }
                case READY -> {
                    if (n != null) {
                        n.ready = true;
                    }
                }
                case JOIN -> fleet.add("joined-" + joined++).canary = e.pick() % 2 == 0;
                case LEAVE -> {
                    if (n != null) {
                        fleet.nodes.remove(n.name);
                    }
                }
                case UNMATCH -> {
                    if (n != null) {
                        n.matches = !n.matches;
                    }
                }
                case TICK -> now = now.plusSeconds(1 + e.pick() % 30);
                case PAUSE -> paused = true;
                case RESUME -> paused = false;
            }
        }

        /** Matching nodes sent to NEW that are not yet proven for minReadySeconds, or that failed it. */
        long unavailable() {
            return fleet.nodes.values().stream()
                    .filter(n -> n.matches && n.desired != null && n.desired.is(NEW))
                    .filter(n -> !availableOnNew(n))
                    .count();
        }

        long availableOnNew() {
            return fleet.nodes.values().stream()
                    .filter(n -> n.matches && n.ready && n.desired != null && n.desired.is(NEW))
                    .filter(this::availableOnNew)
                    .count();
        }

        long canaryTargeted() {
            return fleet.nodes.values().stream()
                    .filter(n -> n.canary && n.matches && n.ready)
                    .count();
        }

        long canaryAvailableOnNew() {
            return fleet.nodes.values().stream()
                    .filter(n -> n.canary && n.matches && n.ready && n.desired != null && n.desired.is(NEW))
                    .filter(this::availableOnNew)
                    .count();
        }

        long assignedNew() {
            return fleet.nodes.values().stream()
                    .filter(n -> n.matches && n.desired != null && n.desired.is(NEW))
                    .count();
        }
    }

    @Property(tries = 300)
    void invariantsHoldOverRandomEventOrders(
            @ForAll @IntRange(min = 0, max = 40) int size,
            @ForAll("policies") RolloutRules policy,
            @ForAll boolean withStable,
            @ForAll("events") List<Event> events,
            @ForAll long skewSeed) {
        World w = new World(size, policy, withStable, skewSeed);
        w.plan();
        for (Event e : events) {
            w.apply(e);
            long before = w.unavailable();
            long availableBefore = w.availableOnNew();
            long canaryAvailableBefore = w.canaryAvailableOnNew();
            long canaryTargetedBefore = w.canaryTargeted();
            boolean wasRollingBack = w.rollingBack;
            RolloutPlan plan = w.plan();

            if (!plan.newlyAssigned().isEmpty()) {
                assertThat(w.unavailable())
                        .as(
                                "assignments stay within maxUnavailable=%s of %d targeted",
                                policy.maxUnavailable(), plan.targeted())
                        .isLessThanOrEqualTo(Math.max(before, plan.budget()));
                assertThat(w.paused).as("paused rollouts assign nothing").isFalse();
                assertThat(plan.failures())
                        .as("halted/rolled-back rollouts assign nothing")
                        .isEmpty();
                int canary = Math.min(policy.canaryCount(), plan.targeted());
                if (!policy.canaryBySelector() && availableBefore < canary) {
                    assertThat(w.assignedNew())
                            .as("only canaries until they are proven for minReadySeconds")
                            .isLessThanOrEqualTo(canary);
                }
                for (String name : plan.newlyAssigned()) {
                    Fleet.Node n = w.fleet.get(name);
                    assertThat(n.matches && n.ready)
                            .as("only targeted nodes get new work")
                            .isTrue();
                }
                if (policy.canaryBySelector()) {
                    long wanted = policy.canaryCount() == RolloutRules.CANARY_UP_TO_BUDGET
                            ? plan.budget()
                            : policy.canaryCount();
                    if (canaryAvailableBefore < Math.min(wanted, canaryTargetedBefore)) {
                        assertThat(plan.newlyAssigned())
                                .as("only nodes matching canary.nodeSelector until they are available")
                                .allMatch(name -> w.fleet.get(name).canary);
                    }
                }
            }
            if (w.rollingBack) {
                for (Fleet.Node n : w.fleet.nodes.values()) {
                    if (n.matches && w.stable != null) {
                        assertThat(n.desired)
                                .as("rollback sends %s to the stable revision", n.name)
                                .isNotNull();
                        assertThat(n.desired.revision()).isEqualTo(OLD);
                    } else {
                        assertThat(n.desired)
                                .as("nothing to roll back to: entry removed")
                                .isNull();
                    }
                }
                assertThat(policy.onFailure()).isEqualTo(OnFailure.ROLLBACK);
                assertThat(wasRollingBack || plan.rollbackStarted()).isTrue();
            }
            for (Fleet.Node n : w.fleet.nodes.values()) {
                if (!n.matches) {
                    assertThat(n.desired)
                            .as("node outside the selector keeps no entry")
                            .isNull();
                }
            }
        }
    }

    @Property(tries = 200)
    void healthyFleetAlwaysCompletes(
            @ForAll @IntRange(min = 1, max = 60) int size,
            @ForAll("policies") RolloutRules policy,
            @ForAll boolean withStable,
            @ForAll long skewSeed) {
        World w = new World(size, policy, withStable, skewSeed);
        for (int round = 0; round < 10_000; round++) {
            RolloutPlan plan = w.plan();
            if (plan.complete()) {
                assertThat(w.fleet.nodes.values())
                        .allSatisfy(n -> assertThat(n.observed.isFor(NEW)).isTrue());
                assertThat(plan.ready()).isEqualTo(size);
                if (!w.firstAssignedAt.equals(w.lastAssignedAt)) {
                    // a later wave starts only once a node is proven for minReadySeconds on the operator's clock
                    assertThat(w.firstProvenAt.plusSeconds(policy.minReadySeconds()))
                            .as("completion waits minReadySeconds of operator time, whatever the agents' clocks")
                            .isBeforeOrEqualTo(w.lastAssignedAt);
                }
                return;
            }
            if (!plan.newlyAssigned().isEmpty()) {
                w.firstAssignedAt = w.firstAssignedAt == null ? w.now : w.firstAssignedAt;
                w.lastAssignedAt = w.now;
            }
            for (String name : w.fleet.assignedNotReported()) {
                w.report(w.fleet.get(name), NodePhase.ACTIVE);
                if (w.firstProvenAt == null) {
                    w.firstProvenAt = w.now;
                }
            }
            w.now = w.now.plusSeconds(5);
        }
        throw new AssertionError("rollout of " + size + " nodes with " + policy + " did not complete");
    }

    @Property(tries = 100)
    void planDoesNotDependOnInputOrder(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> states,
            @ForAll("policies") RolloutRules policy,
            @ForAll long seed) {
        List<NodeView> views = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            Assignment d = states.get(i) == 0 ? null : Assignment.forward(NEW);
            Observation o = switch (states.get(i)) {
                case 2 -> new Observation(NodePhase.ACTIVE, NEW.name(), NEW.digest(), T0, "Proven", "");
                case 3 -> new Observation(NodePhase.FETCHING, NEW.name(), NEW.digest(), T0, "Fetching", "");
                default -> null;
            };
            views.add(new NodeView("n" + i, true, true, d, o));
        }
        RolloutPlanner planner = new RolloutPlanner();
        RolloutPlan a = planner.plan(new RolloutInput("b", policy, NEW, null, false, T0, views, T0.plusSeconds(100)));
        java.util.Collections.shuffle(views, new java.util.Random(seed));
        RolloutPlan b = planner.plan(new RolloutInput("b", policy, NEW, null, false, T0, views, T0.plusSeconds(100)));
        assertThat(b).isEqualTo(a);
    }
}
