package io.confext.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.RevisionRef;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfextNodeChangeTest {

    @Test
    void aReportOfOneBundleConcernsThatBundleOnly() {
        ConfextNode old =
                node(List.of(desired("a", "1"), desired("b", "1")), List.of(state("a", "1", BundlePhase.Active)));
        ConfextNode now = copy(old);
        now.getStatus().getBundles().add(state("b", "1", BundlePhase.Active));

        assertThat(ConfextNodeChange.between(old, now))
                .isEqualTo(new ConfextNodeChange.Concerned(false, java.util.Set.of("b")));
    }

    @Test
    void aChangedPhaseOrDesiredRevisionConcernsItsBundle() {
        ConfextNode old = node(
                List.of(desired("a", "1"), desired("b", "1")),
                List.of(state("a", "1", BundlePhase.Fetching), state("b", "1", BundlePhase.Active)));
        ConfextNode now = copy(old);
        now.getStatus().getBundles().get(0).setPhase(BundlePhase.Active);
        now.getSpec().getBundles().get(1).getRevision().setName("b-2");

        assertThat(ConfextNodeChange.between(old, now).bundles()).containsExactlyInAnyOrder("a", "b");
        assertThat(ConfextNodeChange.between(old, now).everyBundle()).isFalse();
    }

    @Test
    void aRemovedEntryConcernsItsBundle() {
        ConfextNode old =
                node(List.of(desired("a", "1"), desired("b", "1")), List.of(state("b", "1", BundlePhase.Removed)));
        ConfextNode now = copy(old);
        now.getSpec().getBundles().remove(1);
        now.getStatus().getBundles().clear();

        assertThat(ConfextNodeChange.between(old, now).bundles()).containsExactly("b");
    }

    @Test
    void anUnchangedNodeConcernsNoBundle() {
        ConfextNode old = node(List.of(desired("a", "1")), List.of(state("a", "1", BundlePhase.Active)));
        ConfextNode now = copy(old);
        now.getMetadata().setResourceVersion("2");

        assertThat(ConfextNodeChange.between(old, now))
                .isEqualTo(new ConfextNodeChange.Concerned(false, java.util.Set.of()));
    }

    @Test
    void readinessHostFactsAndDeletionConcernEveryBundle() {
        ConfextNode old = node(List.of(desired("a", "1")), List.of(state("a", "1", BundlePhase.Active)));

        ConfextNode notReady = copy(old);
        notReady.getStatus().getConditions().get(0).setStatus("False");
        ConfextNode otherHost = copy(old);
        otherHost.getStatus().getHost().setSystemdVersion(258);
        ConfextNode deleting = copy(old);
        deleting.getMetadata().setDeletionTimestamp("2026-12-03T10:00:00Z");

        assertThat(ConfextNodeChange.between(old, notReady).everyBundle()).isTrue();
        assertThat(ConfextNodeChange.between(old, otherHost).everyBundle()).isTrue();
        assertThat(ConfextNodeChange.between(old, deleting).everyBundle()).isTrue();
        assertThat(ConfextNodeChange.between(null, old).everyBundle()).isTrue();
    }

    private static ConfextNode copy(ConfextNode n) {
        return Serialization.clone(n);
    }

    private static ConfextNode node(List<DesiredBundle> desired, List<BundleState> states) {
        ConfextNode n = new ConfextNode();
        n.setMetadata(new ObjectMetaBuilder()
                .withName("node-1")
                .withResourceVersion("1")
                .build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(new ArrayList<>(desired));
        n.setSpec(spec);
        ConfextNodeStatus st = new ConfextNodeStatus();
        st.setConditions(new ArrayList<>(List.of(
                new ConditionBuilder().withType("Ready").withStatus("True").build())));
        HostFacts host = new HostFacts();
        host.setConfext(true);
        host.setSystemdVersion(257);
        st.setHost(host);
        st.setBundles(new ArrayList<>(states));
        n.setStatus(st);
        return n;
    }

    private static DesiredBundle desired(String bundle, String version) {
        DesiredBundle d = new DesiredBundle();
        d.setName(bundle);
        d.setVersion(version);
        RevisionRef r = new RevisionRef();
        r.setName(bundle + "-" + version);
        r.setDigest("sha256:" + bundle + version);
        d.setRevision(r);
        return d;
    }

    private static BundleState state(String bundle, String version, BundlePhase phase) {
        BundleState s = new BundleState();
        s.setName(bundle);
        s.setRevision(bundle + "-" + version);
        s.setDigest("sha256:" + bundle + version);
        s.setPhase(phase);
        return s;
    }
}
