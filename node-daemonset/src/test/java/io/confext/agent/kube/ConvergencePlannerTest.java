package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Resolved;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.DesiredBundle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConvergencePlannerTest {

    private final ConvergencePlanner planner = new ConvergencePlanner();
    private final DesiredBundle demo = desired("demo", "demo-2", content("2"));
    private final DesiredBundle chrony = desired("chrony", "chrony-1", content("4.5.2"));
    private final DesiredBundleContent demo2 =
            new DesiredBundleContent("demo", "demo-2", "sha256:d2", false, content("2"));
    private final DesiredBundleContent demo1 =
            new DesiredBundleContent("demo", "demo-1", "sha256:d1", false, content("1"));
    private final DesiredBundleContent chrony1 =
            new DesiredBundleContent("chrony", "chrony-1", "sha256:c1", false, content("4.5.2"));
    private final Unresolved mismatch = Unresolved.refused(Reason.DigestMismatch, "refusing");

    @Test
    void everythingResolvedIsHandedOverInSpecOrder() {
        ConvergencePlan plan = planner.plan(
                List.of(demo, chrony),
                Map.of("demo", new Resolved(demo2), "chrony", new Resolved(chrony1)),
                Map.of(),
                Set.of());
        assertThat(plan.converge()).containsExactly(demo2, chrony1);
        assertThat(plan.unresolved()).isEmpty();
        assertThat(plan.wantsRetry()).isFalse();
    }

    @Test
    void anUnusableNewRevisionKeepsTheContentTheHostWasLastGiven() {
        ConvergencePlan plan = planner.plan(
                List.of(demo, chrony),
                Map.of("demo", mismatch, "chrony", new Resolved(chrony1)),
                Map.of("demo", demo1),
                Set.of("demo"));
        assertThat(plan.converge()).containsExactly(demo1, chrony1);
        assertThat(plan.unresolved()).containsOnlyKeys("demo");
        assertThat(plan.wantsRetry()).isFalse();
    }

    @Test
    void anUnusableBundleTheHostNeverHadIsLeftOut() {
        ConvergencePlan plan = planner.plan(
                List.of(demo, chrony),
                Map.of("demo", Unresolved.missing("not there"), "chrony", new Resolved(chrony1)),
                Map.of(),
                Set.of());
        assertThat(plan.converge()).containsExactly(chrony1);
        assertThat(plan.wantsRetry()).isTrue();
    }

    @Test
    void holdsWhenTheHostHasTheBundleButItsCurrentContentIsUnknown() {
        // Just restarted (nothing handed over yet), the status says the host has demo, its new revision is refused:
        // leaving demo out would strip it from the host, so nothing is converged.
        ConvergencePlan plan = planner.plan(
                List.of(demo, chrony),
                Map.of("demo", mismatch, "chrony", new Resolved(chrony1)),
                Map.of(),
                Set.of("demo"));
        assertThat(plan.holds()).isTrue();
        assertThat(plan.holdReason()).contains("demo").contains("leaving the host unchanged");
    }

    @Test
    void anEmptySpecIsAnEmptySetNotAHold() {
        ConvergencePlan plan = planner.plan(List.of(), Map.of(), Map.of("demo", demo1), Set.of("demo"));
        assertThat(plan.holds()).isFalse();
        assertThat(plan.converge()).isEmpty();
    }
}
