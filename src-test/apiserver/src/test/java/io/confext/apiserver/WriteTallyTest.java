package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.apiserver.AuditLog.AuditedWrite;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet benchmark's accounting of audited writes (no API server needed). */
class WriteTallyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    private static AuditedWrite status(String bundle, long millis) {
        return new AuditedWrite(T0.plusMillis(millis), "patch", "confextbundles", "status", "", bundle, 200);
    }

    private static AuditedWrite nodePatch(String node, long millis, int code) {
        return new AuditedWrite(T0.plusMillis(millis), "patch", "confextnodes", "", "", node, code);
    }

    @Test
    void slidingSecondCountsWritesLessThanOneSecondApart() {
        assertThat(WriteTally.maxWithinOneSecond(List.of())).isZero();
        assertThat(WriteTally.maxWithinOneSecond(List.of(T0, T0.plusMillis(1000), T0.plusMillis(2000))))
                .isEqualTo(1);
        assertThat(WriteTally.maxWithinOneSecond(
                        List.of(T0.plusMillis(1990), T0, T0.plusMillis(999), T0.plusMillis(1001))))
                .as("0 and 999 share a second; so do 999, 1001 and 1990")
                .isEqualTo(3);
    }

    @Test
    void splitsThePhaseByKindAndBundleAndKeepsOnlyItsWindow() {
        List<AuditedWrite> log = List.of(
                nodePatch("n1", -5, 200), // before the phase
                nodePatch("n1", 10, 200),
                nodePatch("n2", 20, 422),
                nodePatch("n2", 30, 200),
                status("a", 100),
                status("a", 600),
                status("a", 1700),
                status("b", 200),
                new AuditedWrite(T0.plusMillis(300), "create", "events", "", "default", "a.1", 201),
                status("b", 4000)); // after the phase
        WriteTally t = WriteTally.of(log, T0, T0.plusMillis(4000), 2);

        assertThat(t.nodeSpecWrites()).isEqualTo(3);
        assertThat(t.failed()).isEqualTo(1);
        assertThat(t.statusWrites()).containsEntry("a", 3L).containsEntry("b", 1L);
        assertThat(t.maxStatusPerSecond()).isEqualTo(2);
        assertThat(t.meanStatusPerSecond()).isEqualTo(4 / 4.0 / 2);
        assertThat(t.byKind())
                .containsEntry("patch confextnodes", 3L)
                .containsEntry("patch confextbundles/status", 4L)
                .containsEntry("create events", 1L);
        assertThat(t.total()).isEqualTo(8);
    }
}
