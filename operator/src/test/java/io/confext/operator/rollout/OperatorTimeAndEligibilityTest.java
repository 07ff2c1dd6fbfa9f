package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * minReadySeconds and the progress deadline on the operator's clock ({@link ReportClock}), whatever
 * the agents' clocks say; and mixed fleets ({@link NodeEligibility}): hosts that cannot run the
 * bundle are left alone and never halt the wave.
 */
class OperatorTimeAndEligibilityTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionTarget V1 = new RevisionTarget("chrony-aaaa", "sha256:aa", "1");
    final RolloutPlanner planner = new RolloutPlanner();

    static final NodeEligibility.Host SYSTEMD_262 = new NodeEligibility.Host(true, true, 262);
    static final NodeEligibility.Host SYSTEMD_257 = new NodeEligibility.Host(true, false, 257);
    static final NodeEligibility.Host SYSTEMD_252 = new NodeEligibility.Host(false, false, 252);

    static RolloutRules rules(int max, int minReady, int deadline) {
        return new RolloutRules(MaxUnavailable.count(max), 0, minReady, deadline, false, OnFailure.HALT);
    }

    /** The agent reports Active with its own clock's since; the operator stamps it when it sees it. */
    static NodeView active(String node, Instant agentSince) {
        return new NodeView(
                node,
                true,
                true,
                Assignment.forward(V1),
                new Observation(NodePhase.ACTIVE, V1.name(), V1.digest(), agentSince, "Proven", ""));
    }

    @Test
    void anAgentClockBehindDoesNotShortenMinReady() {
        ReportClock clock = new ReportClock();
        RolloutRules p = rules(1, 60, 600);
        // the agent's clock is an hour behind: by its since the node has been proven for an hour already
        NodeView seen = clock.stamp("chrony", active("n", T0.minusSeconds(3600)), T0.plusSeconds(10), null);
        RolloutPlan early =
                planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, List.of(seen), T0.plusSeconds(10)));
        assertThat(early.available()).as("proven 0 s on the operator's clock").isZero();
        assertThat(early.recheckAt()).contains(T0.plusSeconds(70));

        NodeView later = clock.stamp("chrony", active("n", T0.minusSeconds(3600)), T0.plusSeconds(69), null);
        assertThat(planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, List.of(later), T0.plusSeconds(69)))
                        .available())
                .isZero();
        NodeView done = clock.stamp("chrony", active("n", T0.minusSeconds(3600)), T0.plusSeconds(70), null);
        RolloutPlan ready =
                planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, List.of(done), T0.plusSeconds(70)));
        assertThat(ready.available()).isEqualTo(1);
        assertThat(ready.complete()).isTrue();
    }

    @Test
    void anAgentClockAheadDoesNotFreezeTheDeadline() {
        ReportClock clock = new ReportClock();
        RolloutRules p = rules(2, 0, 60);
        // node a reports Active with a since a day in the future; node b never gets anywhere
        NodeView a = clock.stamp("chrony", active("a", T0.plusSeconds(86_400)), T0.plusSeconds(5), null);
        NodeView b = new NodeView("b", true, true, Assignment.forward(V1), null);
        RolloutPlan plan =
                planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, List.of(a, b), T0.plusSeconds(70)));
        assertThat(plan.lastProgress())
                .as("the operator saw a's report at +5 s")
                .isEqualTo(T0.plusSeconds(5));
        assertThat(plan.deadlineExceeded()).isTrue();
    }

    @Test
    void aReportSeenAgainKeepsItsTimeAndANewStateGetsANewOne() {
        ReportClock clock = new ReportClock();
        Instant first = clock.stamp("chrony", active("n", T0), T0.plusSeconds(1), null)
                .observed()
                .since();
        Instant again = clock.stamp("chrony", active("n", T0.plusSeconds(999)), T0.plusSeconds(30), null)
                .observed()
                .since();
        assertThat(again)
                .as("same phase and revision: the first sight counts")
                .isEqualTo(first)
                .isEqualTo(T0.plusSeconds(1));
        NodeView failed = new NodeView(
                "n",
                true,
                true,
                Assignment.forward(V1),
                new Observation(NodePhase.FAILED, V1.name(), V1.digest(), T0, "ReloadFailed", ""));
        assertThat(clock.stamp("chrony", failed, T0.plusSeconds(40), null)
                        .observed()
                        .since())
                .isEqualTo(T0.plusSeconds(40));
        // after a restart (new memory) a rollout recorded complete keeps its Active nodes available
        ReportClock restarted = new ReportClock();
        List<NodeView> counted =
                restarted.stampAll("chrony", List.of(active("n", T0), active("m", T0)), T0.plusSeconds(100), V1);
        RolloutPlan plan = planner.plan(
                new RolloutInput("chrony", rules(1, 60, 600), V1, null, false, T0, counted, T0.plusSeconds(100)));
        assertThat(plan.complete()).isTrue();
        // but a node first seen Active on a later reconcile (it joined) waits its minReadySeconds
        List<NodeView> joined = restarted.stampAll(
                "chrony", List.of(active("n", T0), active("m", T0), active("j", T0)), T0.plusSeconds(101), V1);
        assertThat(joined.get(2).observed().since()).isEqualTo(T0.plusSeconds(101));
        assertThat(joined.get(0).observed().since()).isEqualTo(Instant.EPOCH);
    }

    /** Whatever each agent's clock says, the plan is the same: only the operator's sight times count. */
    @Property(tries = 200)
    void agentClockSkewNeverChangesThePlan(
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = -100_000, max = 100_000) Long> skews,
            @ForAll @IntRange(min = 0, max = 120) int minReady,
            @ForAll @IntRange(min = 0, max = 200) int at) {
        ReportClock skewed = new ReportClock();
        ReportClock exact = new ReportClock();
        List<NodeView> a = new ArrayList<>();
        List<NodeView> b = new ArrayList<>();
        Instant seenAt = T0.plusSeconds(10);
        for (int i = 0; i < skews.size(); i++) {
            a.add(skewed.stamp("chrony", active("n" + i, seenAt.plusSeconds(skews.get(i))), seenAt, null));
            b.add(exact.stamp("chrony", active("n" + i, seenAt), seenAt, null));
        }
        RolloutRules p = rules(3, minReady, 60);
        Instant now = seenAt.plusSeconds(at);
        RolloutPlan pa = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, a, now));
        RolloutPlan pb = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, b, now));
        assertThat(pa).isEqualTo(pb);
        assertThat(pa.available()).isEqualTo(at >= minReady ? skews.size() : 0);
    }

    @Test
    void eligibilityFollowsTheHostFacts() {
        assertThat(NodeEligibility.of(SYSTEMD_262, Scope.Service, ReloadMode.Reload)
                        .eligible())
                .isTrue();
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Service, ReloadMode.Reload)
                        .reason())
                .isEqualTo(io.confext.api.status.Reason.ReloadRefreshUnsupported.name());
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Service, null).eligible())
                .as("Reload is the default")
                .isFalse();
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Service, ReloadMode.ReloadOrRestart)
                        .eligible())
                .isTrue();
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Service, ReloadMode.Restart)
                        .eligible())
                .isTrue();
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Host, ReloadMode.Reload)
                        .eligible())
                .as("Host scope: systemd-confext refresh")
                .isTrue();
        assertThat(NodeEligibility.of(SYSTEMD_252, Scope.Service, ReloadMode.Restart)
                        .reason())
                .isEqualTo(io.confext.api.status.Reason.ConfextUnsupported.name());
        assertThat(NodeEligibility.of(new NodeEligibility.Host(null, null, 257), Scope.Service, ReloadMode.Reload)
                        .eligible())
                .as("only the version reported")
                .isFalse();
        assertThat(NodeEligibility.of(null, Scope.Service, ReloadMode.Reload).eligible())
                .as("no facts yet")
                .isTrue();
        assertThat(NodeEligibility.of(SYSTEMD_257, Scope.Service, ReloadMode.Reload)
                        .message())
                .contains("257", "258", "ReloadOrRestart");
    }

    static NodeView node(String name, NodeEligibility.Host host, Assignment desired, Observation observed) {
        return new NodeView(
                name, true, true, desired, NodeEligibility.of(host, Scope.Service, ReloadMode.Reload), observed);
    }

    @Test
    void aMixedFleetCompletesOnTheNodesThatCanRunItAndCountsTheOthers() {
        List<NodeView> fleet = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fleet.add(node(
                    "new-" + i,
                    SYSTEMD_262,
                    Assignment.forward(V1),
                    new Observation(NodePhase.ACTIVE, V1.name(), V1.digest(), T0, "Proven", "")));
        }
        // a 257 node, and one that failed the target before its facts said it cannot run it: neither halts
        fleet.add(node("old-0", SYSTEMD_257, null, null));
        fleet.add(node(
                "old-1",
                SYSTEMD_257,
                Assignment.forward(V1),
                new Observation(NodePhase.FAILED, V1.name(), V1.digest(), T0, "ReloadFailed", "")));
        RolloutPlan plan = planner.plan(
                new RolloutInput("chrony", rules(1, 0, 600), V1, null, false, T0, fleet, T0.plusSeconds(1)));
        assertThat(plan.complete()).isTrue();
        assertThat(plan.targeted()).isEqualTo(4);
        assertThat(plan.failed()).isZero();
        assertThat(plan.notEligible())
                .extracting(RolloutPlan.NotEligibleNode::node)
                .containsExactlyInAnyOrder("old-0", "old-1");
        assertThat(plan.changes()).as("the 257 nodes are left as they are").isEmpty();
    }

    @Test
    void noEligibleNodeIsAStateOfItsOwn() {
        List<NodeView> fleet = List.of(node("old-0", SYSTEMD_257, null, null), node("old-1", SYSTEMD_257, null, null));
        RolloutPlan plan = planner.plan(new RolloutInput("chrony", rules(1, 0, 600), V1, null, false, T0, fleet, T0));
        assertThat(plan.state()).isEqualTo(RolloutState.NO_ELIGIBLE_NODES);
        assertThat(plan.complete()).isFalse();
        assertThat(plan.changes()).isEmpty();
    }

    /** Over random mixed fleets: a healthy rollout completes on the eligible nodes and never touches the others. */
    @Property(tries = 200)
    void notEligibleNodesAreNeverAssignedAndNeverBlockCompletion(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 2) Integer> hosts,
            @ForAll @IntRange(min = 1, max = 5) int max) {
        List<NodeEligibility.Host> kinds = List.of(SYSTEMD_262, SYSTEMD_257, SYSTEMD_252);
        Fleet f = Fleet.of(hosts.size());
        List<String> names = new ArrayList<>(f.nodes.keySet());
        Set<String> ineligible = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (hosts.get(i) != 0) {
                ineligible.add(names.get(i));
            }
        }
        RolloutRules p = rules(max, 0, 600);
        RolloutPlan plan = null;
        for (int round = 0; round < hosts.size() + 2; round++) {
            List<NodeView> views = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Fleet.Node n = f.get(names.get(i));
                views.add(new NodeView(
                        n.name,
                        true,
                        true,
                        n.desired,
                        NodeEligibility.of(kinds.get(hosts.get(i)), Scope.Service, ReloadMode.Reload),
                        n.observed));
            }
            plan = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, views, T0.plusSeconds(round)));
            f.apply(plan);
            for (String name : f.assignedNotReported()) {
                f.report(name, NodePhase.ACTIVE, T0);
            }
            assertThat(plan.newlyAssigned()).noneMatch(ineligible::contains);
        }
        assertThat(plan.notEligible()).hasSize(ineligible.size());
        if (ineligible.size() < names.size()) {
            assertThat(plan.complete()).isTrue();
            assertThat(plan.targeted()).isEqualTo(names.size() - ineligible.size());
        } else {
            assertThat(plan.state()).isEqualTo(RolloutState.NO_ELIGIBLE_NODES);
        }
        ineligible.forEach(n -> assertThat(f.get(n).desired).isNull());
    }
}
