package io.confext.kubectl.render;

import static io.confext.kubectl.render.Fixtures.bundle;
import static io.confext.kubectl.render.Fixtures.file;
import static io.confext.kubectl.render.Fixtures.files;
import static io.confext.kubectl.render.Fixtures.image;
import static io.confext.kubectl.render.Fixtures.node;
import static io.confext.kubectl.render.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.VersionHistoryEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryAndNodesViewTest {

    private static VersionHistoryEntry entry(String version, String revision, boolean rollback) {
        VersionHistoryEntry h = new VersionHistoryEntry();
        h.setVersion(version);
        h.setRevision(revision);
        h.setCompletedAt("2026-12-03T10:0" + version.charAt(0) + ":00Z");
        h.setRollback(rollback ? true : null);
        return h;
    }

    @Test
    void historyListsTheRolledOutVersionsNewestFirstAndTheStoredRevisionsWithTheirRoles() {
        ConfextBundleStatus s = new ConfextBundleStatus();
        s.setHistory(List.of(
                entry("1.0", "chrony-1111111111", true),
                entry("2.0", "chrony-2222222222", false),
                entry("1.0", "chrony-1111111111", false)));
        s.setCurrentRevision("chrony-1111111111");
        s.setTargetRevision("chrony-3333333333");
        List<StoredRevision> revisions = List.of(
                stored("chrony-1111111111", 1, files("1.0", file("a", "1"))),
                stored("chrony-3333333333", 3, image("3.0", "https://r/x.raw", "3".repeat(64))),
                stored("chrony-2222222222", 2, files("2.0", file("a", "2"), file("b", "2"))));

        assertThat(HistoryView.render(bundle("chrony", "3.0", 1, s), revisions))
                .containsExactly(
                        "confextbundle chrony: rolled out (status.history, newest first; kubectl confext undo chrony --to-version V goes"
                                + " back to one):",
                        "  VERSION   REVISION            COMPLETED              ROLLBACK",
                        "  1.0       chrony-1111111111   2026-12-03T10:01:00Z   yes",
                        "  2.0       chrony-2222222222   2026-12-03T10:02:00Z   no",
                        "  1.0       chrony-1111111111   2026-12-03T10:01:00Z   no",
                        "",
                        "Stored revisions (kubectl confext diff chrony A B takes a version or a revision name):",
                        "  NUMBER   REVISION            VERSION   CREATED                SOURCE    ROLE",
                        "  3        chrony-3333333333   3.0       2026-12-03T10:00:03Z   image     target",
                        "  2        chrony-2222222222   2.0       2026-12-03T10:00:02Z   2 files   -",
                        "  1        chrony-1111111111   1.0       2026-12-03T10:00:01Z   1 file    current");
    }

    @Test
    void historyOfANewBundleSaysNothingWasRolledOut() {
        assertThat(HistoryView.render(bundle("n", "1", 1, null), List.of()))
                .contains("  (no version was fully rolled out yet)", "  (none found)");
    }

    @Test
    void nodesShowWhatEachNodeIsAskedWhatItsUnitsSeeAndWhy() {
        ConfextNode a = node("node-a", "chrony", "2.0", "chrony-2", BundlePhase.Active, "Proven");
        ConfextNode b = node("node-b", "chrony", "2.0", "chrony-2", BundlePhase.Failed, "ReloadFailed");
        b.getStatus().setConditions(List.of(Fixtures.condition("Ready", "False", "HostUnreachable", "no bus")));
        ConfextNode bare = node("node-c", "other", "1", "other-1", null, null);
        bare.getSpec().setBundles(List.of());

        assertThat(NodesView.render(List.of(b, bare, a), null))
                .containsExactly(
                        "NODE     SYSTEMD   READY                     BUNDLE   WANTS   HAS   PHASE    UNITS SEE             REASON",
                        "node-a   262       True                      chrony   2.0     2.0   Active   chronyd.service=2.0   Proven",
                        "node-b   262       False (HostUnreachable)   chrony   2.0     -     Failed   chronyd.service=-     ReloadFailed",
                        "node-c   262       True                      -        -       -     -        -                     -");
    }

    @Test
    void nodesOfOneBundleLeaveOthersOutAndSayWhenNoneHasIt() {
        ConfextNode a = node("node-a", "chrony", "2.0", "chrony-2", BundlePhase.Active, "Proven");
        assertThat(NodesView.render(List.of(a), "chrony")).hasSize(2);
        assertThat(NodesView.render(List.of(a), "sshd"))
                .containsExactly("No node has an entry for confextbundle sshd.");
    }

    @Test
    void revisionChoiceTakesANameOrTheNewestRevisionOfAVersion() {
        List<StoredRevision> r = List.of(
                stored("b-1", 1, files("1.0", file("a", "1"))),
                stored("b-3", 3, files("1.0", file("a", "1"))),
                stored("b-2", 2, files("2.0", file("a", "2"))));
        assertThat(RevisionChoice.pick("1.0", r))
                .get()
                .extracting(StoredRevision::name)
                .isEqualTo("b-3");
        assertThat(RevisionChoice.pick("b-1", r))
                .get()
                .extracting(StoredRevision::name)
                .isEqualTo("b-1");
        assertThat(RevisionChoice.pick("9.9", r)).isEmpty();
        assertThat(RevisionChoice.known(r)).isEqualTo("1.0, 2.0");
    }
}
