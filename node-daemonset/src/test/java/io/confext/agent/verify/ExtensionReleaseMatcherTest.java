package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionReleaseMatcherTest {
    private final ExtensionReleaseMatcher matcher = new ExtensionReleaseMatcher();
    private static final HostRelease DEBIAN_13 =
            new HostRelease(Map.of("ID", "debian", "VERSION_ID", "13"), "x86-64", 262);

    private List<ReasonCode> codes(Map<String, String> ext, HostRelease host, ExtensionReleaseMatcher.Scope scope) {
        return matcher.match(ext, host, scope).stream().map(Reason::code).toList();
    }

    private List<ReasonCode> codes(Map<String, String> ext) {
        return codes(ext, DEBIAN_13, ExtensionReleaseMatcher.Scope.SYSTEM);
    }

    @Test
    void emptyFileIsRefused() {
        assertThat(codes(Map.of())).containsExactly(ReasonCode.EXTENSION_RELEASE_EMPTY);
    }

    @Test
    void anyIdMatchesEveryHostAndSkipsVersionChecks() {
        assertThat(codes(Map.of("ID", "_any"))).isEmpty();
        assertThat(codes(Map.of("ID", "_any", "VERSION_ID", "1"))).isEmpty();
    }

    @Test
    void missingIdIsRefused() {
        assertThat(codes(Map.of("VERSION_ID", "13"))).containsExactly(ReasonCode.EXTENSION_ID_MISSING);
    }

    @Test
    void idAndVersionMustEqualTheHosts() {
        assertThat(codes(Map.of("ID", "debian", "VERSION_ID", "13"))).isEmpty();
        assertThat(codes(Map.of("ID", "debian", "VERSION_ID", "12")))
                .containsExactly(ReasonCode.EXTENSION_VERSION_MISMATCH);
        assertThat(codes(Map.of("ID", "debian")))
                .as("host has VERSION_ID, image none")
                .containsExactly(ReasonCode.EXTENSION_VERSION_MISMATCH);
    }

    @Test
    void refusalNamesBothSides() {
        List<Reason> r = matcher.match(
                Map.of("ID", "fedora", "VERSION_ID", "40"), DEBIAN_13, ExtensionReleaseMatcher.Scope.SYSTEM);
        assertThat(r).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo(ReasonCode.EXTENSION_ID_MISMATCH);
            assertThat(reason.message())
                    .contains("built for ID=fedora VERSION_ID=40")
                    .contains("host is debian 13");
        });
    }

    @Test
    void idLikeMatchesOnlyFromSystemd258() {
        Map<String, String> ubuntu = Map.of("ID", "ubuntu", "ID_LIKE", "debian", "VERSION_ID", "24.04");
        Map<String, String> ext = Map.of("ID", "debian", "VERSION_ID", "24.04");
        assertThat(codes(ext, new HostRelease(ubuntu, "x86-64", 258), ExtensionReleaseMatcher.Scope.SYSTEM))
                .isEmpty();
        assertThat(codes(ext, new HostRelease(ubuntu, "x86-64", 257), ExtensionReleaseMatcher.Scope.SYSTEM))
                .containsExactly(ReasonCode.EXTENSION_ID_MISMATCH);
    }

    @Test
    void rollingHostWithoutVersionOrLevelMatchesOnId() {
        HostRelease arch = new HostRelease(Map.of("ID", "arch"), "x86-64", 262);
        assertThat(codes(Map.of("ID", "arch", "VERSION_ID", "whatever"), arch, ExtensionReleaseMatcher.Scope.SYSTEM))
                .isEmpty();
    }

    @Test
    void confextLevelWinsOverVersionWhenBothSidesHaveIt() {
        HostRelease host =
                new HostRelease(Map.of("ID", "debian", "VERSION_ID", "13", "CONFEXT_LEVEL", "7"), "x86-64", 262);
        assertThat(codes(
                        Map.of("ID", "debian", "VERSION_ID", "12", "CONFEXT_LEVEL", "7"),
                        host,
                        ExtensionReleaseMatcher.Scope.SYSTEM))
                .isEmpty();
        assertThat(codes(
                        Map.of("ID", "debian", "VERSION_ID", "13", "CONFEXT_LEVEL", "8"),
                        host,
                        ExtensionReleaseMatcher.Scope.SYSTEM))
                .containsExactly(ReasonCode.EXTENSION_LEVEL_MISMATCH);
        assertThat(codes(Map.of("ID", "debian", "VERSION_ID", "12"), host, ExtensionReleaseMatcher.Scope.SYSTEM))
                .as("image without a level falls back to VERSION_ID")
                .containsExactly(ReasonCode.EXTENSION_VERSION_MISMATCH);
    }

    @Test
    void hostWithOnlyALevelAndImageWithoutOneMatches() {
        HostRelease host = new HostRelease(Map.of("ID", "debian", "CONFEXT_LEVEL", "7"), "x86-64", 262);
        assertThat(codes(Map.of("ID", "debian"), host, ExtensionReleaseMatcher.Scope.SYSTEM))
                .isEmpty();
    }

    @Test
    void architectureUnsetAnyOrEqual() {
        assertThat(codes(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"))).isEmpty();
        assertThat(codes(Map.of("ID", "_any", "ARCHITECTURE", "_any"))).isEmpty();
        assertThat(codes(Map.of("ID", "_any", "ARCHITECTURE", "arm64")))
                .containsExactly(ReasonCode.EXTENSION_ARCHITECTURE_MISMATCH);
    }

    @Test
    void scopeDefaultsToSystemPortableAndMustContainTheRequestedOne() {
        assertThat(codes(Map.of("ID", "_any"), DEBIAN_13, ExtensionReleaseMatcher.Scope.PORTABLE))
                .isEmpty();
        assertThat(codes(Map.of("ID", "_any", "CONFEXT_SCOPE", "portable")))
                .containsExactly(ReasonCode.EXTENSION_SCOPE_MISMATCH);
        assertThat(codes(Map.of("ID", "_any", "CONFEXT_SCOPE", "initrd system")))
                .isEmpty();
    }

    @Test
    void everyMismatchBeforeTheIdVerdictIsReported() {
        assertThat(codes(Map.of("ID", "fedora", "ARCHITECTURE", "arm64", "CONFEXT_SCOPE", "initrd")))
                .containsExactly(
                        ReasonCode.EXTENSION_SCOPE_MISMATCH,
                        ReasonCode.EXTENSION_ARCHITECTURE_MISMATCH,
                        ReasonCode.EXTENSION_ID_MISMATCH);
    }

    @Test
    void releaseFileParsingFollowsOsReleaseQuoting() {
        Map<String, String> m = ReleaseFile.parse(
                "# comment\nID=debian\nVERSION_ID=\"13\"\nNAME='Debian GNU/Linux'\nPRETTY=\"a \\\"b\\\"\"\n\nbad line\n");
        assertThat(m)
                .containsEntry("ID", "debian")
                .containsEntry("VERSION_ID", "13")
                .containsEntry("NAME", "Debian GNU/Linux")
                .containsEntry("PRETTY", "a \"b\"")
                .hasSize(4);
    }

    @Test
    void extensionNameRules() {
        assertThat(ExtensionName.of("chrony_4.5.2.raw")).isEqualTo("chrony");
        assertThat(ExtensionName.of("chrony_4.5.2/")).isEqualTo("chrony");
        assertThat(ExtensionName.of("sshd.confext.raw")).isEqualTo("sshd");
        assertThat(ExtensionName.of("sshd+3-1.raw")).isEqualTo("sshd");
        assertThat(ExtensionName.of("node-exporter_1_x86-64+2.raw")).isEqualTo("node-exporter");
        assertThat(ExtensionName.of("plain")).isEqualTo("plain");
    }
}
