package io.confext.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.agent.disk.StoredVersion.Kind;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiskRulesTest {
    private static final long MIB = DiskSettings.MIB;

    // ------------------------------------------------------------------ admit

    @Test
    void proceedsWhenTheWriteLeavesTheMarginFree() {
        assertThat(DiskRules.admit(
                        "version 2 of demo", 10 * MIB, 200 * MIB, 128 * MIB, "/var/lib/confext-operator/staging"))
                .isInstanceOf(DiskRules.Admission.Proceed.class);
        // exactly the margin left: still fits
        assertThat(DiskRules.admit("x", 72 * MIB, 200 * MIB, 128 * MIB, "/s"))
                .isInstanceOf(DiskRules.Admission.Proceed.class);
    }

    @Test
    void refusesWhenTheWriteWouldEatIntoTheMarginAndSaysHowMuchWhereAndWhatToDo() {
        DiskRules.Admission a = DiskRules.admit(
                "the image of demo 3", 100 * MIB, 200 * MIB, 128 * MIB, "/var/lib/confext-operator/staging");
        assertThat(a).isInstanceOf(DiskRules.Admission.Refuse.class);
        DiskRules.Admission.Refuse r = (DiskRules.Admission.Refuse) a;
        assertThat(r.reason()).isEqualTo(Reason.DiskSpaceLow);
        assertThat(r.message())
                .startsWith("the image of demo 3 needs 100.0 MiB, 72.0 MiB free on the file system of "
                        + "/var/lib/confext-operator/staging beyond the margin of 128.0 MiB (200.0 MiB free in all")
                .contains("agent.disk.minFreeBytes")
                .contains("the node keeps its current version");
        // one byte over
        assertThat(DiskRules.admit("x", 72 * MIB + 1, 200 * MIB, 128 * MIB, "/s"))
                .isInstanceOf(DiskRules.Admission.Refuse.class);
    }

    @Test
    void aFileSystemAlreadyBelowTheMarginRefusesEvenAnUnknownSize() {
        DiskRules.Admission a = DiskRules.admit("the image of demo 3", 0, 100 * MIB, 128 * MIB, "/s");
        assertThat(a).isInstanceOf(DiskRules.Admission.Refuse.class);
        assertThat(((DiskRules.Admission.Refuse) a).message())
                .contains("needs 0.0 MiB, 0.0 MiB free on the file system of /s beyond");
        assertThat(DiskRules.admit("x", 0, 128 * MIB, 128 * MIB, "/s")).isInstanceOf(DiskRules.Admission.Proceed.class);
    }

    @Test
    void noMarginAdmitsWhatFits() {
        assertThat(DiskRules.admit("x", 5, 5, 0, "/s")).isInstanceOf(DiskRules.Admission.Proceed.class);
        assertThat(DiskRules.admit("x", 6, 5, 0, "/s")).isInstanceOf(DiskRules.Admission.Refuse.class);
    }

    @Test
    void settingsRefuseNegativeBytesNamingTheValue() {
        assertThatThrownBy(() -> new DiskSettings(-1, 0)).hasMessageContaining("agent.disk.minFreeBytes");
        assertThatThrownBy(() -> new DiskSettings(0, -1)).hasMessageContaining("agent.disk.maxVersionsBytes");
        assertThat(new DiskSettings(0, 0).capped()).isFalse();
        assertThat(DiskSettings.defaults()).isEqualTo(new DiskSettings(128 * MIB, 4096 * MIB));
    }

    // ------------------------------------------------------------------ evict

    private static StoredVersion kept(String bundle, String name, long bytes, long age, boolean prot) {
        return new StoredVersion(bundle, name, Kind.KEPT, prot, bytes, age);
    }

    private static StoredVersion quarantined(String bundle, String name, long bytes, long age) {
        return new StoredVersion(bundle, name, Kind.QUARANTINED, false, bytes, age);
    }

    @Test
    void underTheCapNothingIsEvicted() {
        List<StoredVersion> s =
                List.of(kept("a", "a_3", 10, 3, true), quarantined("a", "a_4.raw.ProofFailed.9", 10, 9));
        DiskRules.Eviction e = DiskRules.evict(s, 20);
        assertThat(e.evicted()).isEmpty();
        assertThat(e.bytesLeft()).isEqualTo(20);
        assertThat(e.underCap()).isTrue();
    }

    @Test
    void quarantinedGoFirstOldestFirstThenKeptOldestFirstAndOnlyAsManyAsNeeded() {
        StoredVersion qOld = quarantined("b", "b_9.x.100", 10, 100);
        StoredVersion qNew = quarantined("a", "a_9.x.200", 10, 200);
        StoredVersion kOld = kept("a", "a_1", 10, 50, false);
        StoredVersion kNewer = kept("b", "b_1", 10, 60, false);
        StoredVersion active = kept("a", "a_3", 10, 1, true);
        List<StoredVersion> all = List.of(kNewer, active, qNew, kOld, qOld);
        assertThat(DiskRules.evict(all, 40).evicted()).containsExactly(qOld);
        assertThat(DiskRules.evict(all, 30).evicted()).containsExactly(qOld, qNew);
        assertThat(DiskRules.evict(all, 20).evicted()).containsExactly(qOld, qNew, kOld);
        DiskRules.Eviction e = DiskRules.evict(all, 10);
        assertThat(e.evicted()).containsExactly(qOld, qNew, kOld, kNewer);
        assertThat(e.underCap()).isTrue();
        assertThat(e.bytesLeft()).isEqualTo(10);
    }

    @Test
    void protectedVersionsStayEvenAboveTheCap() {
        StoredVersion active = kept("a", "a_3", 100, 1, true);
        StoredVersion target = kept("a", "a_2", 100, 0, true);
        StoredVersion q = quarantined("a", "a_4.x.5", 1, 5);
        DiskRules.Eviction e = DiskRules.evict(List.of(active, target, q), 50);
        assertThat(e.evicted()).containsExactly(q);
        assertThat(e.underCap()).isFalse();
        assertThat(e.bytesLeft()).isEqualTo(200);
    }

    /** A property over random version sets: the protected ones stay, and the end is under the cap whenever it can be. */
    @Test
    void neverEvictsAProtectedVersionAndEndsUnderTheCapWhenPossible() {
        for (long seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            List<StoredVersion> s = new ArrayList<>();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                String bundle = "b" + r.nextInt(3);
                long bytes = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(1000);
                s.add(
                        r.nextBoolean()
                                ? kept(bundle, bundle + "_" + i, bytes, r.nextInt(50), r.nextInt(3) == 0)
                                : quarantined(bundle, bundle + "_" + i + ".x." + i, bytes, r.nextInt(50)));
            }
            long cap = r.nextInt(4000);
            DiskRules.Eviction e = DiskRules.evict(s, cap);
            long protectedBytes = s.stream()
                    .filter(StoredVersion::protectedVersion)
                    .mapToLong(StoredVersion::bytes)
                    .sum();
            long total = s.stream().mapToLong(StoredVersion::bytes).sum();
            String at = "seed " + seed + ": " + s + " cap " + cap;
            assertThat(e.evicted()).as(at).noneMatch(StoredVersion::protectedVersion);
            assertThat(s).as(at).containsAll(e.evicted());
            assertThat(e.evicted()).as(at).doesNotHaveDuplicates();
            assertThat(e.bytesLeft())
                    .as(at)
                    .isEqualTo(total
                            - e.evicted().stream()
                                    .mapToLong(StoredVersion::bytes)
                                    .sum());
            assertThat(e.underCap()).as(at).isEqualTo(e.bytesLeft() <= cap);
            if (protectedBytes <= cap) {
                assertThat(e.underCap()).as(at).isTrue();
            }
            if (total <= cap) {
                assertThat(e.evicted()).as(at).isEmpty();
            }
            // no more than needed: without the last one evicted, it would not have been under the cap
            if (!e.evicted().isEmpty() && e.underCap()) {
                assertThat(e.bytesLeft()
                                + e.evicted().get(e.evicted().size() - 1).bytes())
                        .as(at)
                        .isGreaterThan(cap);
            }
            // every quarantined one evicted goes before any kept one
            boolean keptSeen = false;
            for (StoredVersion v : e.evicted()) {
                keptSeen |= v.kind() == Kind.KEPT;
                assertThat(keptSeen && v.kind() == Kind.QUARANTINED).as(at).isFalse();
            }
        }
    }

    // ------------------------------------------------------------------ sizes and notes

    @Test
    void aDirectoryVersionIsEstimatedInBlocks() {
        assertThat(DiskRules.directoryBytes(List.of(1L, 4096L, 4097L), 2)).isEqualTo(4096 * (2 + 1 + 1 + 2));
        assertThat(DiskRules.directoryBytes(List.of(0L), 0)).isEqualTo(4096);
        // root, etc, etc/extension-release.d, etc/demo, etc/demo/conf.d; two files and the release
        assertThat(DiskRules.directoryBytes(
                        Map.of("demo/a.conf", "x", "demo/conf.d/b.conf", "y".repeat(5000)), "ID=_any\n"))
                .isEqualTo(4096 * (5 + 1 + 2 + 1));
    }

    @Test
    void anActiveProvenBundleReportsTheEvictionAsItsReason() {
        BundleState s = new BundleState();
        s.setPhase(BundlePhase.Active);
        s.setReason(Reason.Proven.name());
        s.setMessage("demo.service: proven");
        DiskRules.note(
                s,
                List.of(
                        quarantined("demo", "demo_4.ProofFailed.17", 3 * MIB, 17),
                        kept("demo", "demo_1", MIB / 2, 1, false)),
                64 * MIB);
        assertThat(s.getReason()).isEqualTo("VersionsEvictedByCap");
        assertThat(s.getMessage())
                .isEqualTo("the node's cap of 64.0 MiB on stored versions (agent.disk.maxVersionsBytes) evicted"
                        + " quarantined demo_4.ProofFailed.17 (3.0 MiB), kept demo_1 (0.5 MiB); demo.service: proven");
    }

    @Test
    void anyOtherBundleKeepsItsReasonAndGetsTheNoteAfter() {
        BundleState s = new BundleState();
        s.setPhase(BundlePhase.RolledBack);
        s.setReason(Reason.ProofFailed.name());
        s.setMessage("rolled back to 1");
        DiskRules.note(s, List.of(quarantined("demo", "demo_2.x.1", MIB, 1)), 8 * MIB);
        assertThat(s.getReason()).isEqualTo("ProofFailed");
        assertThat(s.getMessage())
                .startsWith("rolled back to 1; the node's cap of 8.0 MiB")
                .endsWith("quarantined demo_2.x.1 (1.0 MiB)");
    }
}
