package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image helpers produce what systemd-confext accepts (erofs and DDI are covered by LoopSupplyTest). */
@SystemdHostTest
class ConfextImagesTest {

    @Test
    void squashfsImageAndDirectoryMergeOnTheHost(SystemdHost host) {
        ConfextImages.squashfs(host, "/var/lib/confexts/sq.raw", "sq", Map.of("sq/a.conf", "a=1\n"), "VERSION=1\n");
        ConfextImages.directory(host, "/var/lib/confexts/dir", "dir", Map.of("dir/b.conf", "b=2\n"), "VERSION=2\n");
        host.execOk("systemd-confext", "merge");
        assertThat(host.readFile("/etc/sq/a.conf")).isEqualTo("a=1\n");
        assertThat(host.readFile("/etc/dir/b.conf")).isEqualTo("b=2\n");
        assertThat(host.execOk("systemd-confext", "status").stdout())
                .contains("sq")
                .contains("dir");
        host.execOk("systemd-confext", "unmerge");
        assertThat(host.hostPath("/etc/sq")).doesNotExist();
    }

    @Test
    void extensionNamesWithAVersionSeparatorAreRefused() {
        // refused before the host is touched: no host needed
        assertThatThrownBy(() -> ConfextImages.directory(null, "/var/lib/confexts/x_1", "x_1", Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'_'");
    }
}
