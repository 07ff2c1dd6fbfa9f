package io.confext.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.confext.agent.apply.Quarantine;
import io.confext.agent.apply.VersionsDirectory;
import io.confext.agent.fetch.FetchFailure;
import io.confext.agent.fetch.FetchRequest;
import io.confext.agent.fetch.FetchResult;
import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.fetch.ImageFetcher;
import io.confext.api.status.Reason;
import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk guard on a real, small file system (root: a size-limited tmpfs mounted as the agent's state directory,
 * reached through {@code /proc/<pid>/root} as the agent reaches the host's): statvfs sees its real free space, a
 * download that does not fit is refused before a byte is written and the kept version stays, and the cap evicts
 * quarantined versions first, never the active one or its rollback target.
 */
@HostTest
class DiskGuardOnRealFileSystemsTest {
    private static final long MIB = DiskSettings.MIB;

    @TempDir
    Path dir;
    /** The tmpfs as the agent opens it: through /proc/<pid>/root. */
    Path state;

    Path mnt;

    @BeforeEach
    void mount() throws Exception {
        mnt = Files.createDirectories(dir.resolve("state"));
        exec("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString());
        state = Path.of("/proc/" + ProcessHandle.current().pid() + "/root")
                .resolve(mnt.toString().substring(1));
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", "-l", mnt.toString());
    }

    private DiskGuard guard(long minFree, long cap) {
        return new DiskGuard(
                new DiskSettings(minFree, cap),
                () -> state.resolve("staging"),
                mnt + "/staging",
                new Quarantine(state.resolve("quarantine")));
    }

    /** A directory version of about {@code bytes} in {@code .v/}, put there {@code age} ms after the epoch. */
    private static Path version(VersionsDirectory v, String version, int bytes, long age) throws Exception {
        Path e = Files.createDirectories(
                v.dir().resolve(v.bundle() + "_" + version).resolve("etc/demo"));
        Files.write(e.resolve("demo.conf"), new byte[bytes]);
        Path entry = v.dir().resolve(v.bundle() + "_" + version);
        Files.setLastModifiedTime(entry, FileTime.fromMillis(age));
        return entry;
    }

    @Test
    void theFreeSpaceIsTheRealFileSystemsSeenThroughTheHostsRoot() throws Exception {
        long empty = DiskSpace.usableBytes(state.resolve("staging")); // not there yet: its parent's file system
        assertThat(empty).isBetween(7 * MIB, 8 * MIB);
        Files.write(state.resolve("filler"), new byte[(int) (5 * MIB)]);
        assertThat(DiskSpace.usableBytes(state.resolve("staging"))).isBetween(2 * MIB, 3 * MIB);
    }

    @Test
    void aDownloadThatDoesNotFitBesideTheMarginIsRefusedBeforeAByteIsWrittenAndTheKeptVersionStays() throws Exception {
        VersionsDirectory v = new VersionsDirectory(Files.createDirectories(state.resolve("bundles/demo.v")), "demo");
        version(v, "1", 64 * 1024, 1000);
        byte[] image = new byte[(int) (3 * MIB)];
        new java.util.Random(3).nextBytes(image);
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(image));
        TestTls tls = TestTls.create();
        try (ImageServer server = new ImageServer(tls.server(), 3000)) {
            server.put("demo_2.raw", image);
            ImageFetcher fetcher = new ImageFetcher(FetchSettings.defaults().withSslContext(tls.client()), d -> {});
            Path staging = Files.createDirectories(state.resolve("staging"));
            FetchRequest req = new FetchRequest(server.uri("/ok/demo_2.raw"), sha, 16 * MIB, false);

            // 8 MiB, about 7.9 free: beyond a 6 MiB margin there is not room for 3 MiB
            FetchResult refused =
                    fetcher.fetch(req.withRoom(guard(6 * MIB, 0).roomFor("the image of demo 2")), staging);
            assertThat(refused).isInstanceOf(FetchResult.Failed.class);
            FetchResult.Failed f = (FetchResult.Failed) refused;
            assertThat(f.reason()).isEqualTo(FetchFailure.NO_ROOM);
            assertThat(f.reason().reason()).isEqualTo(Reason.DiskSpaceLow);
            assertThat(f.message())
                    .startsWith("the image of demo 2 needs 3.0 MiB, ")
                    .contains(" free on the file system of " + mnt + "/staging")
                    .contains("beyond the margin of 6.0 MiB")
                    .doesNotContain("/proc/")
                    .doesNotContain("Exception");
            try (var s = Files.list(staging)) {
                assertThat(s.toList()).as("nothing written to staging").isEmpty();
            }
            assertThat(v.versions()).containsExactly("1");

            // with a 2 MiB margin it fits, and it is really written there
            FetchResult ok = fetcher.fetch(req.withRoom(guard(2 * MIB, 0).roomFor("the image of demo 2")), staging);
            assertThat(ok).isInstanceOf(FetchResult.Fetched.class);
            assertThat(Files.size(((FetchResult.Fetched) ok).file())).isEqualTo(image.length);
            assertThat(DiskSpace.usableBytes(staging)).isLessThan(5 * MIB);
        }
    }

    @Test
    void aStagedDirectoryVersionIsAdmittedOnlyWithTheMarginLeft() throws Exception {
        Files.write(state.resolve("filler"), new byte[(int) (6 * MIB)]);
        DiskRules.Admission a = guard(MIB, 0)
                .admit(
                        "version 2 of demo",
                        DiskRules.directoryBytes(Map.of("demo/big.conf", "x".repeat((int) (2 * MIB))), "ID=_any\n"));
        assertThat(a).isInstanceOf(DiskRules.Admission.Refuse.class);
        assertThat(((DiskRules.Admission.Refuse) a).message())
                .startsWith("version 2 of demo needs 2.0 MiB, 1.0 MiB free on the file system of " + mnt
                        + "/staging beyond the margin of 1.0 MiB");
        assertThat(guard(MIB, 0).admit("version 2 of demo", 512 * 1024))
                .isInstanceOf(DiskRules.Admission.Proceed.class);
    }

    @Test
    void theCapEvictsQuarantinedVersionsOldestFirstThenOldKeptOnesButNeverTheActiveOrTheRollbackTarget()
            throws Exception {
        VersionsDirectory v = new VersionsDirectory(Files.createDirectories(state.resolve("bundles/demo.v")), "demo");
        version(v, "1", 512 * 1024, 1000);
        version(v, "2", 512 * 1024, 2000);
        version(v, "3", 512 * 1024, 3000);
        Quarantine q = new Quarantine(state.resolve("quarantine"));
        version(v, "4", 512 * 1024, 4000);
        Path q4 = q.put(v, "4", "ProofFailed").orElseThrow();
        version(v, "5", 512 * 1024, 5000);
        Path q5 = q.put(v, "5", "ProofFailed").orElseThrow();
        assertThat(v.versions()).containsExactly("3", "2", "1");
        DiskGuard.Bundle demo = new DiskGuard.Bundle(v, "3");

        // 2.5 MiB stored; a cap of 2 MiB: one quarantined version goes, the older one
        Map<String, List<StoredVersion>> first = guard(0, 2 * MIB + 64 * 1024).enforceCap(List.of(demo));
        assertThat(first.get("demo"))
                .extracting(StoredVersion::name)
                .containsExactly(q4.getFileName().toString());
        assertThat(q4).doesNotExist();
        assertThat(q5).exists();
        assertThat(v.versions()).containsExactly("3", "2", "1");

        // a cap of 1 MiB: the other quarantined one, then kept version 1; 3 (active) and 2 (rollback target) stay
        Map<String, List<StoredVersion>> second = guard(0, MIB + 64 * 1024).enforceCap(List.of(demo));
        assertThat(second.get("demo"))
                .extracting(StoredVersion::name, StoredVersion::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                q5.getFileName().toString(), StoredVersion.Kind.QUARANTINED),
                        org.assertj.core.groups.Tuple.tuple("demo_1", StoredVersion.Kind.KEPT));
        assertThat(q5).doesNotExist();
        assertThat(v.versions()).containsExactly("3", "2");

        // a cap below what the active and the rollback target use: they stay all the same
        assertThat(guard(0, 1).enforceCap(List.of(demo))).isEmpty();
        assertThat(v.versions()).containsExactly("3", "2");
        assertThat(Files.size(v.entry("3").resolve("etc/demo/demo.conf"))).isEqualTo(512 * 1024);
        // no cap: nothing is even measured
        assertThat(guard(0, 0).enforceCap(List.of(demo))).isEmpty();
    }

    private static void exec(String... argv) throws Exception {
        if (run(argv) != 0) {
            fail("failed: " + String.join(" ", argv));
        }
    }

    private static int run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
