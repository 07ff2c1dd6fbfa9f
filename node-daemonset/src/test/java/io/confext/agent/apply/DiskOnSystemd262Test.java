package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.disk.DiskSettings;
import io.confext.agent.fetch.FetchSettings;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The node's disk through the whole host side of the agent, on a booted systemd 262: the agent's state directory is
 * a small tmpfs mounted in the host, a version that does not fit beside the margin is refused with DiskSpaceLow while
 * the unit keeps running with the previous version (an image too, refused once the server said its length), and the cap on stored versions evicts an old kept version but
 * never the active one or its rollback target.
 */
@SystemdHostTest
class DiskOnSystemd262Test {
    private static final long MIB = DiskSettings.MIB;
    private static final String STATE = "/var/lib/confext-operator";
    private static final String UNIT = Bundles.uniqueUnit();

    private static DesiredBundleContent demo(String version, String content) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(UNIT),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", content, "0644"))),
                null,
                ReloadMode.Restart,
                100);
        return new DesiredBundleContent(
                "demo", "demo-" + version, "sha256:demo-" + version + "-" + content.length(), false, c);
    }

    private static List<String> entries(SystemdHost host, String dir) throws Exception {
        Path p = host.hostPath(dir);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (var s = Files.list(p)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aVersionThatDoesNotFitIsRefusedAndTheUnitKeepsThePreviousOne(SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        host.execOk("mkdir", "-p", STATE);
        host.execOk("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", STATE);
        TestTls tls = TestTls.create();
        FetchSettings fetch = new FetchSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                2,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                Optional.of(tls.client()));
        SystemdHostApplier applier = new SystemdHostApplier(
                host.leaderPid(),
                ApplierSettings.defaults()
                        .withStateHostDir(STATE)
                        .withImages(ImageSettings.defaults().withFetch(fetch))
                        .withDisk(new DiskSettings(2 * MIB, 0)));

        BundleState one = SystemdHostApplierTestSupport.only(applier.converge(List.of(demo("1", "v=1\n"))));
        assertThat(one.getPhase()).as(one.getMessage()).isEqualTo(BundlePhase.Active);

        // 3 MiB of content on a 4 MiB file system with a 2 MiB margin: refused before anything is written
        BundleState two = SystemdHostApplierTestSupport.only(applier.converge(List.of(
                demo("2", "x".repeat((int) (3 * MIB)) + "\n"))));
        assertThat(two.getPhase()).isEqualTo(BundlePhase.Failed);
        assertThat(two.getReason()).isEqualTo("DiskSpaceLow");
        assertThat(two.getMessage())
                .startsWith("version 2 of demo needs 3.0 MiB, ")
                .contains(STATE + "/staging")
                .contains("beyond the margin of 2.0 MiB")
                .doesNotContain("/proc/")
                .doesNotContain("Exception");
        assertThat(two.getActiveVersion()).isEqualTo("1");
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("v=1\n");
        assertThat(entries(host, STATE + "/bundles/demo.v")).containsExactly("demo_1");
        assertThat(entries(host, STATE + "/staging")).isEmpty();

        // a version that fits goes on as usual
        BundleState small = SystemdHostApplierTestSupport.only(applier.converge(List.of(demo("2", "v=2\n"))));
        assertThat(small.getPhase()).as(small.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("v=2\n");

        // an image of 3 MiB: refused once the server says its length, before a byte of it is written
        try (ImageServer server = new ImageServer(tls.server(), 1000)) {
            byte[] image = new byte[(int) (3 * MIB)];
            new java.util.Random(7).nextBytes(image);
            server.put("pic_1.raw", image);
            String sha = HostBuiltImages.sha256(image);
            RevisionContent c = new RevisionContent(
                    "1",
                    Scope.Service,
                    List.of(UNIT),
                    ResolvedSource.ofImage(
                            new ResolvedImage(server.uri("/ok/pic_1.raw").toString(), sha, false, null)),
                    null,
                    ReloadMode.Restart,
                    0);
            List<BundleState> both = applier.converge(
                    List.of(demo("2", "v=2\n"), new DesiredBundleContent("pic", "pic-1", "sha256:" + sha, false, c)));
            BundleState pic = both.stream()
                    .filter(b -> b.getName().equals("pic"))
                    .findFirst()
                    .orElseThrow();
            assertThat(pic.getPhase()).isEqualTo(BundlePhase.Failed);
            assertThat(pic.getReason()).isEqualTo("DiskSpaceLow");
            assertThat(pic.getMessage())
                    .startsWith("cannot download the image: the image of pic 1 needs 3.0 MiB, ")
                    .contains(STATE + "/staging")
                    .doesNotContain("/proc/")
                    .doesNotContain("Exception");
            assertThat(both.stream()
                            .filter(b -> b.getName().equals("demo"))
                            .findFirst()
                            .orElseThrow()
                            .getPhase())
                    .isEqualTo(BundlePhase.Active);
            assertThat(entries(host, STATE + "/bundles/pic.v")).isEmpty();
            assertThat(entries(host, STATE + "/staging")).isEmpty();
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("v=2\n");
        }
    }

    @Test
    void theCapEvictsAnOldKeptVersionButNeverTheActiveOneOrItsRollbackTarget(SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        String big = "y".repeat(256 * 1024) + "\n";
        // about 770 KiB for three versions: a cap of 600 KiB holds two
        SystemdHostApplier applier = new SystemdHostApplier(
                host.leaderPid(),
                ApplierSettings.defaults().withStateHostDir(STATE).withDisk(new DiskSettings(0, 600 * 1024)));
        for (String v : List.of("1", "2")) {
            BundleState s =
                    SystemdHostApplierTestSupport.only(applier.converge(List.of(demo(v, "v=" + v + "\n" + big))));
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(s.getReason()).isEqualTo("Proven");
        }
        assertThat(entries(host, STATE + "/bundles/demo.v")).containsExactly("demo_1", "demo_2");

        BundleState three = SystemdHostApplierTestSupport.only(applier.converge(List.of(demo("3", "v=3\n" + big))));
        assertThat(three.getPhase()).as(three.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(three.getReason()).isEqualTo("VersionsEvictedByCap");
        assertThat(three.getMessage())
                .startsWith(
                        "the node's cap of 0.6 MiB on stored versions (agent.disk.maxVersionsBytes) evicted kept demo_1 (");
        assertThat(entries(host, STATE + "/bundles/demo.v")).containsExactly("demo_2", "demo_3");
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                .hasValueSatisfying(c -> assertThat(c).startsWith("v=3\n"));

        // nothing more to evict: the next pass is Proven again, the two newest stay although they pass the cap
        BundleState again = SystemdHostApplierTestSupport.only(applier.converge(List.of(demo("3", "v=3\n" + big))));
        assertThat(again.getReason()).isEqualTo("Proven");
        assertThat(entries(host, STATE + "/bundles/demo.v")).containsExactly("demo_2", "demo_3");
    }
}
