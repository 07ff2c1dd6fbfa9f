package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPolicyTest {
    private final ContentPolicy policy = new ContentPolicy();

    private static TreeEntry dir(String p) {
        return new TreeEntry(p, TreeEntry.S_IFDIR | 0755, 0, null, 0);
    }

    private static TreeEntry file(String p, int perm, long size) {
        return new TreeEntry(p, TreeEntry.S_IFREG | perm, size, null, 0);
    }

    private static TreeEntry link(String p, String target) {
        return new TreeEntry(p, TreeEntry.S_IFLNK | 0777, target.length(), target, 0);
    }

    private List<ReasonCode> codes(long cap, TreeEntry... entries) {
        return policy.check(List.of(entries), cap).stream().map(Reason::code).toList();
    }

    @Test
    void hugeClaimedSizesCannotWrapTheTotalBelowTheCap() {
        assertThat(codes(
                        1000,
                        dir("etc"),
                        file("etc/a", 0644, Long.MAX_VALUE / 2 + 1),
                        file("etc/b", 0644, Long.MAX_VALUE / 2 + 1)))
                .containsExactly(ReasonCode.CONTENT_TOO_LARGE);
    }

    @Test
    void plainConfigTreePasses() {
        assertThat(codes(
                        1000,
                        dir("etc"),
                        dir("etc/chrony"),
                        file("etc/chrony/chrony.conf", 0644, 100),
                        link("etc/chrony/alt.conf", "chrony.conf"),
                        link("etc/abs", "/etc/chrony/chrony.conf"),
                        link("etc/self", "/etc")))
                .isEmpty();
    }

    @Test
    void everyViolationIsReportedWithItsOwnCode() {
        assertThat(codes(
                        1000,
                        file("etc/suid", 04755, 1),
                        file("etc/sgid", 02755, 1),
                        new TreeEntry("etc/tty", TreeEntry.S_IFCHR | 0600, 0, null, 0),
                        new TreeEntry("etc/sda", TreeEntry.S_IFBLK | 0600, 0, null, 0),
                        new TreeEntry("etc/fifo", TreeEntry.S_IFIFO | 0600, 0, null, 0),
                        new TreeEntry("etc/sock", TreeEntry.S_IFSOCK | 0600, 0, null, 0),
                        link("etc/out", "/usr/bin/sh"),
                        file("etc/os-release", 0644, 10),
                        file("usr/lib/foo", 0644, 10)))
                .containsExactlyInAnyOrder(
                        ReasonCode.CONTENT_SETUID,
                        ReasonCode.CONTENT_SETUID,
                        ReasonCode.CONTENT_DEVICE_NODE,
                        ReasonCode.CONTENT_DEVICE_NODE,
                        ReasonCode.CONTENT_FIFO,
                        ReasonCode.CONTENT_SOCKET,
                        ReasonCode.CONTENT_SYMLINK_ESCAPES,
                        ReasonCode.CONTENT_OS_RELEASE,
                        ReasonCode.CONTENT_OUTSIDE_ETC);
    }

    @Test
    void symlinksAreResolvedFromTheirOwnDirectory() {
        assertThat(ContentPolicy.staysInEtc("etc/a/b/link", "../c")).isTrue();
        assertThat(ContentPolicy.staysInEtc("etc/a/link", "../../etc/x")).isTrue();
        assertThat(ContentPolicy.staysInEtc("etc/a/link", "../../usr/x")).isFalse();
        assertThat(ContentPolicy.staysInEtc("etc/link", "../../../../etc/../root"))
                .isFalse();
        assertThat(ContentPolicy.staysInEtc("etc/link", "/etc/../var/lib")).isFalse();
        assertThat(ContentPolicy.staysInEtc("etc/link", "/etcetera")).isFalse();
        assertThat(ContentPolicy.staysInEtc("etc/link", "")).isFalse();
    }

    @Test
    void totalSizeCap() {
        assertThat(codes(100, file("etc/a", 0644, 60), file("etc/b", 0644, 60)))
                .containsExactly(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(codes(120, file("etc/a", 0644, 60), file("etc/b", 0644, 60))).isEmpty();
    }

    @Test
    void setgidDirectoriesAreFine() {
        assertThat(codes(100, new TreeEntry("etc/d", TreeEntry.S_IFDIR | 02755, 0, null, 0)))
                .isEmpty();
    }
}
