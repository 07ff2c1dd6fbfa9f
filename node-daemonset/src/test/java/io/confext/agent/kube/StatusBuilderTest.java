package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

    private final StatusBuilder builder = new StatusBuilder("0.1.0");
    private final RecordingHost host = new RecordingHost();
    private final Instant t0 = Instant.parse("2026-11-22T10:00:00.123Z");
    private final Instant t1 = Instant.parse("2026-11-22T10:05:00Z");
    private final DesiredBundle demo = desired("demo", "demo-2", content("2"));
    private final DesiredBundleContent demo2 = new DesiredBundleContent(
            "demo", "demo-2", io.confext.api.revision.RevisionDigest.of(content("2")), false, content("2"));
    private final ConvergencePlan clean = new ConvergencePlan(List.of(demo2), Map.of(), null);

    @Test
    void reportsHostStatesCountsFactsAndReady() {
        ConfextNodeStatus s = builder.build(
                3L, HostView.reachable(host.facts()), List.of(demo), host.converge(List.of(demo2)), clean, null, t0);
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
        assertThat(s.getActiveBundles()).isEqualTo(1);
        assertThat(s.getFailedBundles()).isZero();
        assertThat(s.getHost().getAgentVersion()).isEqualTo("0.1.0");
        assertThat(s.getBundles()).singleElement().satisfies(b -> {
            assertThat(b.getActiveVersion()).isEqualTo("2");
            assertThat(b.getSince()).isEqualTo("2026-11-22T10:00:00Z");
        });
        assertThat(s.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        });
    }

    @Test
    void progressAmendsOneBundleAndKeepsWhatTheUnitSees() {
        DesiredBundleContent other1 = new DesiredBundleContent(
                "other", "other-1", io.confext.api.revision.RevisionDigest.of(content("1")), false, content("1"));
        ConfextNodeStatus before = builder.build(
                3L,
                HostView.reachable(host.facts()),
                List.of(demo),
                host.converge(List.of(demo2, other1)),
                clean,
                null,
                t0);
        DesiredBundleContent demo3 = new DesiredBundleContent(
                "demo", "demo-3", io.confext.api.revision.RevisionDigest.of(content("3")), false, content("3"));

        ConfextNodeStatus fetching = builder.progress(
                        before, demo3, BundlePhase.Fetching, Reason.Fetching, "downloading 3", t1)
                .orElseThrow();
        assertThat(fetching.getBundles()).extracting(BundleState::getName).containsExactly("demo", "other");
        BundleState d = fetching.getBundles().get(0);
        assertThat(d.getPhase()).isEqualTo(BundlePhase.Fetching);
        assertThat(d.getRevision()).isEqualTo("demo-3");
        assertThat(d.getDigest()).isEqualTo(demo3.digest());
        assertThat(d.getDesiredVersion()).isEqualTo("3");
        assertThat(d.getActiveVersion()).as("the unit still sees 2").isEqualTo("2");
        assertThat(d.getSince()).isEqualTo("2026-11-22T10:05:00Z");
        assertThat(fetching.getActiveBundles()).isEqualTo(1);
        assertThat(fetching.getBundles().get(1))
                .usingRecursiveComparison()
                .isEqualTo(before.getBundles().get(1));
        assertThat(fetching.getHost()).isSameAs(before.getHost());
        assertThat(fetching.getConditions()).isEqualTo(before.getConditions());
        assertThat(fetching.getObservedGeneration()).isEqualTo(3L);
        assertThat(before.getBundles().get(0).getPhase())
                .as("the previous status is not changed")
                .isEqualTo(BundlePhase.Active);

        ConfextNodeStatus verified = builder.progress(
                        fetching, demo3, BundlePhase.Verified, Reason.Verified, "root hash ab", t1)
                .orElseThrow();
        assertThat(verified.getBundles().get(0).getPhase()).isEqualTo(BundlePhase.Verified);
        assertThat(verified.getBundles().get(0).getActiveVersion()).isEqualTo("2");

        DesiredBundleContent fresh = new DesiredBundleContent(
                "new", "new-1", io.confext.api.revision.RevisionDigest.of(content("1")), false, content("1"));
        assertThat(builder.progress(before, fresh, BundlePhase.Fetching, Reason.Fetching, "x", t1)
                        .orElseThrow()
                        .getBundles())
                .extracting(BundleState::getName, BundleState::getActiveVersion)
                .contains(org.assertj.core.groups.Tuple.tuple("new", null));
        assertThat(builder.progress(null, demo3, BundlePhase.Fetching, Reason.Fetching, "x", t1))
                .as("nothing to amend")
                .isEmpty();
    }

    @Test
    void anUnchangedNodeBuildsTheIdenticalStatusLater() {
        List<BundleState> states = host.converge(List.of(demo2));
        ConfextNodeStatus first =
                builder.build(3L, HostView.reachable(host.facts()), List.of(demo), states, clean, null, t0);
        ConfextNodeStatus again =
                builder.build(3L, HostView.reachable(host.facts()), List.of(demo), states, clean, first, t1);
        assertThat(StatusWriter.same(first, again)).isTrue();
    }

    @Test
    void unresolvedBundleKeepsWhatTheHostSeesAndSaysWhy() {
        // The host kept demo 1 (converge answered for it); the desired demo 2 was refused.
        DesiredBundleContent demo1 = new DesiredBundleContent("demo", "demo-1", "sha256:d1", false, content("1"));
        ConvergencePlan plan = new ConvergencePlan(
                List.of(demo1), Map.of("demo", Unresolved.refused(Reason.DigestMismatch, "refusing demo-2")), null);
        ConfextNodeStatus s = builder.build(
                4L, HostView.reachable(host.facts()), List.of(demo), host.converge(List.of(demo1)), plan, null, t0);
        BundleState b = s.getBundles().get(0);
        assertThat(b.getPhase()).isEqualTo(BundlePhase.Failed);
        assertThat(b.getReason()).isEqualTo("DigestMismatch");
        assertThat(b.getRevision()).isEqualTo("demo-2");
        assertThat(b.getDesiredVersion()).isEqualTo("2");
        assertThat(b.getActiveVersion()).isEqualTo("1");
        assertThat(s.getFailedBundles()).isEqualTo(1);
        assertThat(s.getActiveBundles()).isZero();
    }

    @Test
    void unreachableHostIsNotReadyAndKeepsTheLastReportedFactsAndBundles() {
        ConfextNodeStatus before = builder.build(
                3L, HostView.reachable(host.facts()), List.of(demo), host.converge(List.of(demo2)), clean, null, t0);
        ConfextNodeStatus s =
                builder.build(3L, HostView.unreachable("dbus socket refused"), List.of(demo), null, clean, before, t1);
        assertThat(s.getHost().getSystemdVersion()).isEqualTo(262);
        assertThat(s.getBundles()).singleElement().satisfies(b -> {
            assertThat(b.getPhase()).isEqualTo(BundlePhase.Active);
            assertThat(b.getSince()).isEqualTo("2026-11-22T10:00:00Z");
        });
        assertThat(s.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("HostUnreachable");
            assertThat(c.getMessage()).contains("dbus socket refused");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
        });
    }
}
