package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Mixed fleets, for images ({@link IncompatibleImages}): a node whose agent refused the target's image because its
 * host is of another kind (architecture, os-release) is not eligible, and so is every node of the same kind; such
 * refusals never halt the wave nor start a rollback; every other refusal still does.
 */
class IncompatibleImagesTest {
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final RevisionTarget V1 = new RevisionTarget("chrony-aaaa", "sha256:aa", "1");
    static final RevisionTarget V2 = new RevisionTarget("chrony-bbbb", "sha256:bb", "2");
    static final HostKind X86 = new HostKind("x86-64", "debian", "13");
    static final HostKind ARM = new HostKind("arm64", "debian", "13");
    static final HostKind X86_OLD = new HostKind("x86-64", "debian", "12");
    final RolloutPlanner planner = new RolloutPlanner();

    static RolloutRules rules(int max, OnFailure onFailure) {
        return new RolloutRules(MaxUnavailable.count(max), 0, 0, 600, false, onFailure);
    }

    static NodeView node(String name, HostKind kind, Assignment desired, Observation observed) {
        return new NodeView(name, true, true, desired, Eligibility.ELIGIBLE, observed, false, kind);
    }

    static Observation refused(RevisionTarget t, String reason) {
        return new Observation(
                NodePhase.FAILED, t.name(), t.digest(), T0, reason, "built for ARCHITECTURE=x86-64, host is arm64");
    }

    static Observation active(RevisionTarget t) {
        return new Observation(NodePhase.ACTIVE, t.name(), t.digest(), T0, "Proven", "");
    }

    RolloutPlan plan(RolloutRules rules, RevisionTarget target, RevisionTarget stable, List<NodeView> nodes) {
        return planner.plan(new RolloutInput("chrony", rules, target, stable, false, T0, nodes, T0.plusSeconds(1)));
    }

    @Test
    void aNodeThatRefusedTheImageForItsArchitectureIsNotEligibleAndTheWaveGoesOn() {
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ExtensionArchitectureMismatch")),
                node("x86-0", X86, Assignment.forward(V1), active(V1)),
                node("x86-1", X86, Assignment.forward(V1), active(V1)));
        RolloutPlan plan = plan(rules(1, OnFailure.HALT), V2, V1, fleet);
        assertThat(plan.failed()).as("a host of another kind is not a failure").isZero();
        assertThat(plan.state()).isNotEqualTo(RolloutState.HALTED);
        assertThat(plan.notEligible()).singleElement().satisfies(n -> {
            assertThat(n.node()).isEqualTo("arm-0");
            assertThat(n.reason()).isEqualTo("ExtensionArchitectureMismatch");
            assertThat(n.message()).contains("refused image 2 for this host", "ARCHITECTURE=x86-64");
        });
        assertThat(plan.newlyAssigned())
                .as("the budget of 1 goes to an x86 node")
                .hasSize(1)
                .allMatch(n -> n.startsWith("x86-"));
        assertThat(plan.targeted())
                .as("only the nodes that can run the image are targeted")
                .isEqualTo(2);
    }

    @Test
    void everyNodeOfTheSameKindIsNotEligibleWithoutBeingTried() {
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ForeignArchitecture")),
                node("arm-1", ARM, Assignment.forward(V1), active(V1)),
                node("arm-2", ARM, null, null),
                node("x86-0", X86, Assignment.forward(V1), active(V1)));
        RolloutPlan plan = plan(rules(3, OnFailure.HALT), V2, V1, fleet);
        assertThat(plan.newlyAssigned()).containsExactly("x86-0");
        Map<String, RolloutPlan.NotEligibleNode> ne =
                plan.notEligible().stream().collect(Collectors.toMap(RolloutPlan.NotEligibleNode::node, n -> n));
        assertThat(ne).containsOnlyKeys("arm-0", "arm-1", "arm-2");
        assertThat(ne.get("arm-1").reason()).isEqualTo("ForeignArchitecture");
        assertThat(ne.get("arm-1").message()).contains("node arm-0", "arm64, debian 13", "refused image 2");
        assertThat(plan.decisions())
                .filteredOn(d -> d.name().equals("arm-1"))
                .singleElement()
                .satisfies(
                        d -> assertThat(d.desired()).as("left on what it runs").isEqualTo(Assignment.forward(V1)));
    }

    @Test
    void anOsReleaseMismatchSeparatesHostsOfTheSameArchitecture() {
        List<NodeView> fleet = List.of(
                node("bookworm-0", X86_OLD, Assignment.forward(V2), refused(V2, "ExtensionVersionMismatch")),
                node("bookworm-1", X86_OLD, null, null),
                node("trixie-0", X86, null, null));
        RolloutPlan plan = plan(rules(2, OnFailure.HALT), V2, null, fleet);
        assertThat(plan.newlyAssigned()).containsExactly("trixie-0");
        assertThat(plan.notEligible())
                .extracting(RolloutPlan.NotEligibleNode::node)
                .containsExactlyInAnyOrder("bookworm-0", "bookworm-1");
    }

    @Test
    void aRefusalThatSaysTheImageIsWrongStillHaltsTheWave() {
        for (String reason :
                List.of("Sha256Mismatch", "SignatureUntrusted", "ContentSetuid", "VerityRootHashMismatch")) {
            List<NodeView> fleet = List.of(
                    node("x86-0", X86, Assignment.forward(V2), refused(V2, reason)),
                    node("x86-1", X86, Assignment.forward(V1), active(V1)));
            RolloutPlan plan = plan(rules(1, OnFailure.HALT), V2, V1, fleet);
            assertThat(plan.failed()).as(reason).isEqualTo(1);
            assertThat(plan.state()).as(reason).isEqualTo(RolloutState.HALTED);
            assertThat(plan.notEligible()).as(reason).isEmpty();
        }
    }

    @Test
    void aHostKindRefusalDoesNotStartARollback() {
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ExtensionArchitectureMismatch")),
                node("x86-0", X86, Assignment.forward(V1), active(V1)));
        RolloutPlan plan = plan(rules(1, OnFailure.ROLLBACK), V2, V1, fleet);
        assertThat(plan.rollbackStarted()).isFalse();
        assertThat(plan.newlyAssigned()).containsExactly("x86-0");
    }

    @Test
    void aRefusalOfAnEarlierRevisionSaysNothingOfTheNewTarget() {
        RevisionTarget v3 = new RevisionTarget("chrony-cccc", "sha256:cc", "3");
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ExtensionArchitectureMismatch")),
                node("arm-1", ARM, null, null));
        RolloutPlan plan = plan(rules(2, OnFailure.HALT), v3, null, fleet);
        assertThat(plan.notEligible()).isEmpty();
        assertThat(plan.newlyAssigned()).containsExactlyInAnyOrder("arm-0", "arm-1");
    }

    @Test
    void whenNoKindOfHostCanRunTheImageTheBundleSaysNoEligibleNodes() {
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ExtensionArchitectureMismatch")),
                node("arm-1", ARM, null, null));
        RolloutPlan plan = plan(rules(1, OnFailure.HALT), V2, null, fleet);
        assertThat(plan.state()).isEqualTo(RolloutState.NO_ELIGIBLE_NODES);
        assertThat(plan.newlyAssigned()).isEmpty();
    }

    @Test
    void aHostThatReportedNoKindLearnsOnlyFromItsOwnVerification() {
        List<NodeView> fleet = List.of(
                node("arm-0", ARM, Assignment.forward(V2), refused(V2, "ExtensionArchitectureMismatch")),
                node("unknown-0", null, null, null));
        RolloutPlan plan = plan(rules(1, OnFailure.HALT), V2, null, fleet);
        assertThat(plan.newlyAssigned()).containsExactly("unknown-0");
    }

    /**
     * Over random fleets of three kinds of host, one of which the image was not built for, rolled out to the end with
     * agents that refuse exactly as a real one would: the wave never halts, no host of that kind is assigned after the
     * first refusal, and every host of the other kinds ends on the target.
     */
    @Property(tries = 300)
    void aMixedFleetCompletesOnTheHostsThatCanRunTheImage(
            @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 2) Integer> kinds,
            @ForAll @IntRange(min = 1, max = 4) int maxUnavailable) {
        List<HostKind> all = List.of(X86, ARM, X86_OLD);
        HostKind foreign = ARM;
        List<String> names = new ArrayList<>();
        Map<String, HostKind> kindOf = new java.util.HashMap<>();
        Map<String, Assignment> desired = new java.util.HashMap<>();
        Map<String, Observation> observed = new java.util.HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            names.add("n" + i);
            kindOf.put("n" + i, all.get(kinds.get(i)));
        }
        int foreignAssigned = 0;
        RolloutPlan plan = null;
        for (int round = 0; round < 200; round++) {
            List<NodeView> views = names.stream()
                    .map(n -> node(n, kindOf.get(n), desired.get(n), observed.get(n)))
                    .toList();
            plan = plan(rules(maxUnavailable, OnFailure.ROLLBACK), V2, null, views);
            assertThat(plan.state()).isNotIn(RolloutState.HALTED, RolloutState.ROLLING_BACK, RolloutState.ROLLED_BACK);
            for (String a : plan.newlyAssigned()) {
                if (kindOf.get(a).equals(foreign)) {
                    foreignAssigned++;
                }
            }
            for (NodeDecision d : plan.decisions()) {
                desired.put(d.name(), d.desired());
            }
            if (plan.complete() || plan.state() == RolloutState.NO_ELIGIBLE_NODES) {
                break;
            }
            for (String n : names) { // every agent acts on what it was given
                Assignment a = desired.get(n);
                if (a != null && (observed.get(n) == null || !observed.get(n).isFor(a.revision()))) {
                    observed.put(
                            n,
                            kindOf.get(n).equals(foreign) ? refused(V2, "ExtensionArchitectureMismatch") : active(V2));
                }
            }
        }
        long foreignHosts = kindOf.values().stream().filter(foreign::equals).count();
        assertThat(foreignAssigned).as("hosts of the foreign kind tried").isLessThanOrEqualTo((int)
                Math.min(foreignHosts, maxUnavailable));
        for (String n : names) {
            if (!kindOf.get(n).equals(foreign)) {
                assertThat(observed.get(n))
                        .as(n)
                        .isNotNull()
                        .satisfies(o -> assertThat(o.isFor(V2)).isTrue());
            }
        }
        if (foreignHosts < names.size()) {
            assertThat(plan.complete()).isTrue();
        }
    }
}
