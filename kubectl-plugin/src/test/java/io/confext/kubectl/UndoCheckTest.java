package io.confext.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.VersionHistoryEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UndoCheckTest {
    private static final List<VersionHistoryEntry> HISTORY = List.of(entry("2.0"), entry("1.0"), entry("0.9"));

    private static VersionHistoryEntry entry(String v) {
        VersionHistoryEntry h = new VersionHistoryEntry();
        h.setVersion(v);
        return h;
    }

    @Test
    void previousIsTheNewestOtherVersionOfTheHistory() {
        assertThat(UndoCheck.check(null, HISTORY, "2.0").version()).hasValue("1.0");
        assertThat(UndoCheck.check("previous", HISTORY, "3.0").version())
                .as("while 3.0 rolls out")
                .hasValue("2.0");
    }

    @Test
    void aVersionMustBeInTheHistoryAndNotTheSpecsAlready() {
        assertThat(UndoCheck.check("0.9", HISTORY, "2.0").version()).hasValue("0.9");
        assertThat(UndoCheck.check("0.5", HISTORY, "2.0").refusal())
                .isEqualTo(
                        "version 0.5 is not in status.history (2.0, 1.0, 0.9); undo goes only to a version the bundle rolled out");
        assertThat(UndoCheck.check("2.0", HISTORY, "2.0").refusal()).isEqualTo("spec.version is already 2.0");
        assertThat(UndoCheck.check(null, List.of(entry("2.0")), "2.0").version())
                .isEqualTo(Optional.empty());
        assertThat(UndoCheck.check(null, List.of(), "2.0").refusal())
                .isEqualTo("no earlier version to go back to (status.history: empty)");
    }

    @Test
    void theRevisionNamespaceIsTheOptionThenTheNodesEntriesThenTheContextsThenTheInstallDefault() {
        assertThat(RevisionNamespace.choose("ops", List.of("confext-x"), "team"))
                .isEqualTo("ops");
        assertThat(RevisionNamespace.choose(null, List.of("confext-x"), "team")).isEqualTo("confext-x");
        assertThat(RevisionNamespace.choose(null, List.of(), "team")).isEqualTo("team");
        assertThat(RevisionNamespace.choose(null, List.of(), "default")).isEqualTo(RevisionNamespace.INSTALL_DEFAULT);
        assertThat(RevisionNamespace.choose(" ", List.of(), null)).isEqualTo("confext-system");
    }
}
