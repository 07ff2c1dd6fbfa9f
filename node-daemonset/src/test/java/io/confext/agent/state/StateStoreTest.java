package io.confext.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;

class StateStoreTest {
    @Test
    void roundTripsAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir.resolve("state.json"));
        assertThat(store.load().bundles()).isEmpty();
        BundleRecord r = new BundleRecord("b", Scope.Service, List.of("demo.service"), 5, ReloadMode.Reload, "b-1",
                "sha256:00", "2", List.of("2", "1"), "3", "sha256:11", BundleStep.ACTIVATING, "2",
                new BundleRecord.Outcome(BundlePhase.Active, "Proven", "m", "t", "2",
                        List.of(new BundleRecord.UnitView("demo.service", "2", 42))));
        store.save(AgentState.empty().with(r));
        assertThat(store.load().bundles().get("b")).isEqualTo(r);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("state.json");
        }
    }

    @Test
    void unreadableStateSaysWhatToDo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("state.json"), "{not json");
        assertThatThrownBy(() -> new StateStore(dir.resolve("state.json")).load()).hasMessageContaining("move it away");
    }
}
