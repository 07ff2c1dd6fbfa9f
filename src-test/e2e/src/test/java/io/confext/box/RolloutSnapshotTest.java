package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutSnapshotTest {

    @Test
    void printsOneLinePerNodeChangeAndOnePerBundleChange() {
        RolloutSnapshot assigned = RolloutSnapshot.of(
                List.of(node("node-a", "1.0", null), node("node-b", null, null)), List.of(bundle("demo", "1.0", 2, 0)));
        assertThat(assigned.changesSince(RolloutSnapshot.EMPTY))
                .containsExactly(
                        "node node-a: demo assigned 1.0, -",
                        "bundle demo: target 1.0 (current -) updated 0/2, ready 0/2, failed 0 [Progressing(WavesInProgress)]");

        RolloutSnapshot active = RolloutSnapshot.of(
                List.of(node("node-a", "1.0", BundlePhase.Active), node("node-b", null, null)),
                List.of(bundle("demo", "1.0", 2, 1)));
        assertThat(active.changesSince(assigned))
                .containsExactly(
                        "node node-a: demo assigned 1.0, - -> Active, sees 1.0 (Proven: unit sees 1.0)",
                        "bundle demo: target 1.0 (current -) updated 0/2, ready 1/2, failed 0 [Progressing(WavesInProgress)]");
    }

    @Test
    void nothingChangedPrintsNothing() {
        RolloutSnapshot s = RolloutSnapshot.of(
                List.of(node("node-a", "1.0", BundlePhase.Active)), List.of(bundle("demo", "1.0", 1, 1)));
        RolloutSnapshot same = RolloutSnapshot.of(
                List.of(node("node-a", "1.0", BundlePhase.Active)), List.of(bundle("demo", "1.0", 1, 1)));
        assertThat(same.changesSince(s)).isEmpty();
    }

    @Test
    void removalAndDeletionAreShown() {
        RolloutSnapshot before = RolloutSnapshot.of(
                List.of(node("node-a", "1.0", BundlePhase.Active)), List.of(bundle("demo", "1.0", 1, 1)));
        RolloutSnapshot after = RolloutSnapshot.of(List.of(node("node-a", null, null)), List.of());
        assertThat(after.changesSince(before))
                .containsExactly("node node-a: demo gone (no assignment, no report)", "bundle demo: deleted");
    }

    private static ConfextNode node(String name, String assigned, BundlePhase phase) {
        ConfextNode n = new ConfextNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        if (assigned != null) {
            DesiredBundle d = new DesiredBundle();
            d.setName("demo");
            d.setVersion(assigned);
            spec.setBundles(List.of(d));
        }
        n.setSpec(spec);
        if (phase != null) {
            ConfextNodeStatus st = new ConfextNodeStatus();
            BundleState b = new BundleState();
            b.setName("demo");
            b.setPhase(phase);
            b.setActiveVersion(assigned);
            b.setReason("Proven");
            b.setMessage("unit sees " + assigned);
            st.setBundles(List.of(b));
            n.setStatus(st);
        }
        return n;
    }

    private static ConfextBundle bundle(String name, String version, int targeted, int ready) {
        ConfextBundle b = new ConfextBundle();
        b.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ConfextBundleSpec spec = new ConfextBundleSpec();
        spec.setVersion(version);
        b.setSpec(spec);
        ConfextBundleStatus s = new ConfextBundleStatus();
        s.setTargetVersion(version);
        s.setTargeted(targeted);
        s.setUpdated(0);
        s.setReady(ready);
        s.setFailed(0);
        s.setConditions(List.of(
                new ConditionBuilder()
                        .withType("Progressing")
                        .withStatus("True")
                        .withReason("WavesInProgress")
                        .build(),
                new ConditionBuilder()
                        .withType("Degraded")
                        .withStatus("False")
                        .withReason("AsExpected")
                        .build()));
        b.setStatus(s);
        return b;
    }
}
