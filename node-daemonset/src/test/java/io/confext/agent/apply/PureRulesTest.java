package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.revision.ResolvedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PureRulesTest {
    @Test
    void dropInListsBundlesLowestPriorityFirst() {
        String s = DropIn.render(List.of(
                new DropIn.Attachment("zeta", 10, "/s/bundles/zeta.v/"),
                new DropIn.Attachment("alpha", 50, "/s/bundles/alpha.v/"),
                new DropIn.Attachment("beta", 10, "/s/bundles/beta.v/")));
        assertThat(s)
                .contains(
                        "[Service]\nExtensionDirectories=/s/bundles/beta.v/ /s/bundles/zeta.v/ /s/bundles/alpha.v/\n");
        assertThat(DropIn.render(List.of())).isEmpty();
    }

    @Test
    void retentionKeepsTheThreeNewestGoodVersions() {
        List<String> kept = VersionRetention.keep(List.of("1.9", "1.10", "1.2", "1.1"), "2.0");
        assertThat(kept).containsExactly("2.0", "1.10", "1.9");
        assertThat(VersionRetention.drop(List.of("2.0", "1.10", "1.9", "1.2"), kept))
                .containsExactly("1.2");
    }

    @Test
    void downgradeOnlyWhenRollingBack() {
        assertThat(DowngradeGuard.check("b", "1.2", "1.10", false))
                .get()
                .asString()
                .contains("older than 1.10")
                .contains("rollback: true");
        assertThat(DowngradeGuard.check("b", "1.2", "1.10", true)).isEmpty();
        assertThat(DowngradeGuard.check("b", "1.10", "1.2", false)).isEmpty();
        assertThat(DowngradeGuard.check("b", "1.0", null, false)).isEmpty();
        // the cases of the removed verify/DowngradeCheck, on the guard the agent uses
        assertThat(DowngradeGuard.check("b", "1.9", "1.10", false)).isPresent();
        assertThat(DowngradeGuard.check("b", "1.10", "1.10", false)).isEmpty();
    }

    @Test
    void directoryVersionWritesFilesWithModesAndExtensionRelease(@TempDir Path tmp) throws Exception {
        DirectoryVersion v = new DirectoryVersion(
                "chrony",
                "4.5.2",
                List.of(
                        new ResolvedFile("chrony/chrony.conf", "server a\n", "0640"),
                        new ResolvedFile("chrony/run.sh", "#!/bin/sh\n", "0755")));
        Path target = tmp.resolve(v.entryName());
        v.writeTo(target);
        assertThat(Files.readString(target.resolve("etc/chrony/chrony.conf"))).isEqualTo("server a\n");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(target.resolve("etc/chrony/chrony.conf"))))
                .isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("etc/chrony/run.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(target.resolve("etc/extension-release.d/extension-release.chrony")))
                .isEqualTo("ID=_any\nSYSEXT_ID=chrony\nSYSEXT_VERSION_ID=4.5.2\n");
        OnDiskVersion back = OnDiskVersion.load(target, "chrony", "4.5.2");
        assertThat(back.expectedFiles()).isEqualTo(v.expectedFiles());
        assertThat(back.extensionRelease()).isEqualTo(v.extensionRelease());
        assertThat(new VersionsDirectory(tmp, "chrony").versions()).containsExactly("4.5.2");
    }

    @Test
    void badPathsAndModesAreRefusedWithAClearMessage() {
        for (String bad : List.of(
                "/etc/passwd", "../x", "a//b", "os-release", "extension-release.d/extension-release.x", "a/./b")) {
            assertThatThrownBy(() -> new DirectoryVersion("b", "1", List.of(new ResolvedFile(bad, "x", "0644"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> new DirectoryVersion("b", "1", List.of(new ResolvedFile("a", "x", "4755"))))
                .hasMessageContaining("octal");
    }

    @Test
    void systemdVersionIsTheLeadingNumber() {
        assertThat(HostFactsReader.parseVersion("262-1")).isEqualTo(262);
        assertThat(HostFactsReader.parseVersion("257.13-1~deb13u1")).isEqualTo(257);
        assertThatThrownBy(() -> HostFactsReader.parseVersion("v")).hasMessageContaining("'v'");
    }
}
