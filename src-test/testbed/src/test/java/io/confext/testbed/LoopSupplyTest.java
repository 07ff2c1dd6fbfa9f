package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Known obstacle": image extensions take a loop device per merge; with only the outer machine's
 * current /dev/loopN nodes a host ran dry after a few rounds. These tests prove the supply holds.
 */
@SystemdHostTest
class LoopSupplyTest {

    static final int ROUNDS = 25;

    @Test
    void manyConsecutiveHostMergesOfChangingImageVersions(SystemdHost host) {
        for (int v = 1; v <= ROUNDS; v++) {
            ConfextImages.erofs(
                    host,
                    "/var/lib/confexts/loopproof.raw",
                    "loopproof",
                    Map.of("loopproof/version.conf", "version=" + v + "\n"),
                    "VERSION=" + v + "\n");
            host.execOk("systemd-confext", "refresh");
            assertThat(host.readFile("/etc/loopproof/version.conf"))
                    .as("round %d after refresh", v)
                    .isEqualTo("version=" + v + "\n");
            assertThat(host.readFile("/etc/extension-release.d/extension-release.loopproof"))
                    .contains("VERSION=" + v);
            if (v % 2 == 0) {
                host.execOk("systemd-confext", "unmerge");
                assertThat(host.hostPath("/etc/loopproof/version.conf"))
                        .as("round %d after unmerge", v)
                        .doesNotExist();
            }
        }
        host.execOk("systemd-confext", "unmerge");
        assertThat(host.hostPath("/etc/loopproof")).doesNotExist();
    }

    @Test
    void unitWithExtensionImagesStartsManyTimesInARow(SystemdHost host) {
        String unit = "imgdemo.service";
        DemoService.install(host, unit, DemoService.DEFAULT_CONFIG, false);
        host.writeFile(
                "/etc/systemd/system/" + unit + ".d/50-image.conf",
                "[Service]\nExtensionImages=/var/lib/imgdemo/demo.raw\n",
                "0644");
        host.execOk("systemctl", "daemon-reload");
        for (int v = 1; v <= ROUNDS; v++) {
            ConfextImages.erofs(
                    host,
                    "/var/lib/imgdemo/demo.raw",
                    "demo",
                    Map.of("demo/demo.conf", "value=" + v + "\n"),
                    "VERSION=" + v + "\n");
            host.execOk("systemctl", "start", unit);
            DemoSeen seen = DemoService.seen(host, unit);
            assertThat(seen.config()).as("round %d", v).contains("value=" + v + "\n");
            assertThat(seen.extensionField("demo", "VERSION")).contains(Integer.toString(v));
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains("value=" + v + "\n");
            host.execOk("systemctl", "stop", unit);
        }
        // the host's own /etc never saw any of it
        assertThat(host.hostPath("/etc/demo/demo.conf")).doesNotExist();
    }

    /** Signed DDIs need partition device nodes too (dynamic numbers): 20+ activations in a row. */
    @Test
    void unitWithSignedDdiStartsManyTimesInARow(SystemdHost host) {
        String unit = "ddidemo.service";
        ConfextImages.selfSignedCertificate(host, "/root/signing.key", "/root/signing.crt", "testbed");
        DemoService.install(host, unit, DemoService.DEFAULT_CONFIG, false);
        host.writeFile(
                "/etc/systemd/system/" + unit + ".d/50-image.conf",
                "[Service]\nExtensionImages=/var/lib/ddidemo/demo.raw\n"
                        + "ExtensionImagePolicy=root=unprotected+absent:usr=absent\n",
                "0644");
        host.execOk("systemctl", "daemon-reload");
        for (int v = 1; v <= 20; v++) {
            ConfextImages.ddi(
                    host,
                    "/var/lib/ddidemo/demo.raw",
                    "demo",
                    Map.of("demo/demo.conf", "value=" + v + "\n"),
                    "VERSION=" + v + "\n",
                    "/root/signing.key",
                    "/root/signing.crt");
            host.execOk("systemctl", "start", unit);
            assertThat(DemoService.seen(host, unit).config()).as("round %d", v).contains("value=" + v + "\n");
            host.execOk("systemctl", "stop", unit);
        }
        assertThat(host.execOk("sh", "-c", "head -c 8 /var/lib/ddidemo/demo.raw | od -c | head -1")
                        .stdout())
                .isNotEmpty();
    }
}
