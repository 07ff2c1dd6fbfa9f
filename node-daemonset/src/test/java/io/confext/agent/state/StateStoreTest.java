package io.confext.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @Test
    void roundTripsAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir.resolve("state.json"));
        assertThat(store.load().bundles()).isEmpty();
        BundleRecord r = new BundleRecord(
                "b",
                Scope.Service,
                List.of("demo.service"),
                5,
                ReloadMode.Reload,
                "b-1",
                "sha256:00",
                "2",
                List.of("2", "1"),
                "3",
                "sha256:11",
                BundleStep.ACTIVATING,
                "2",
                new BundleRecord.Outcome(
                        BundlePhase.Active,
                        "Proven",
                        "m",
                        "t",
                        "2",
                        List.of(new BundleRecord.UnitView("demo.service", "2", 42)),
                        null));
        store.save(AgentState.empty().with(r));
        assertThat(store.load().bundles().get("b")).isEqualTo(r);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("state.json");
        }
    }

    /** A state.json an agent before the one step enum wrote: its journal words still load, and are written again. */
    @Test
    void journalWordsOfOlderStateFilesStillLoad(@TempDir Path dir) throws Exception {
        StringBuilder bundles = new StringBuilder();
        List<String> words = List.of("IDLE", "STAGING", "ACTIVATING", "ROLLING_BACK", "REMOVING");
        for (String word : words) {
            bundles.append(bundles.isEmpty() ? "" : ",").append("""
                    "b-%s": {"name": "b-%s", "scope": "Service", "units": ["demo.service"], "priority": 0,
                      "reload": "Reload", "revision": "b-1", "digest": "sha256:00", "desiredVersion": "2",
                      "goodVersions": ["1"], "failedVersion": null, "failedDigest": null,
                      "step": "%s", "pendingVersion": "2", "outcome": null}
                    """.formatted(word, word, word));
        }
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"bundles\": {" + bundles + "}}");

        AgentState state = new StateStore(file).load();
        for (String word : words) {
            assertThat(state.bundles().get("b-" + word).step()).isEqualTo(BundleStep.valueOf(word));
        }
        new StateStore(file).save(state);
        String written = Files.readString(file);
        for (String word : words) {
            assertThat(written).contains("\"step\" : \"" + word + "\"");
        }
    }

    @Test
    void onlyStepsThatCanBeInFlightAreJournalled() {
        for (BundleStep step : BundleStep.values()) {
            if (step.journalled()) {
                assertThat(new BundleRecord(
                                        "b",
                                        Scope.Host,
                                        List.of(),
                                        0,
                                        ReloadMode.Reload,
                                        "r",
                                        "d",
                                        "1",
                                        List.of(),
                                        null,
                                        null,
                                        step,
                                        null,
                                        null)
                                .step())
                        .isEqualTo(step);
            } else {
                assertThatThrownBy(() -> new BundleRecord(
                                "b",
                                Scope.Host,
                                List.of(),
                                0,
                                ReloadMode.Reload,
                                "r",
                                "d",
                                "1",
                                List.of(),
                                null,
                                null,
                                step,
                                null,
                                null))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(BundleStep.ROLLING_BACK.word()).isEqualTo("rolling-back");
        assertThat(BundleStep.ROLLBACK_FINISHED.word()).isEqualTo("rollback-finished");
    }

    @Test
    void unreadableStateSaysWhatToDo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("state.json"), "{not json");
        assertThatThrownBy(() -> new StateStore(dir.resolve("state.json")).load())
                .hasMessageContaining("move it away");
    }
}
