package io.confext.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of {@link HostPaths}: links followed inside the host's root where the host owns the path, refused where the agent does. */
class HostPathsTest {
    private static final Path ROOT = Path.of("/proc/4242/root");

    /** A file system made only of the given links (path below the root -> target); everything else is no link. */
    private static HostPaths with(Map<String, String> links) {
        return new HostPaths(
                ROOT, p -> Optional.ofNullable(links.get(ROOT.relativize(p).toString())));
    }

    @Test
    void anAbsoluteLinkOfTheHostIsFollowedInsideTheHostsRootNotTheAgents() {
        HostPaths paths = with(Map.of("etc/verity.d", "/nix/store/abc-verity/verity.d"));
        assertThat(paths.inRoot("/etc/verity.d/signer.crt"))
                .isEqualTo(ROOT.resolve("nix/store/abc-verity/verity.d/signer.crt"));
    }

    @Test
    void linksInLinksAndDotDotStayInsideTheRoot() {
        HostPaths paths = with(Map.of("etc/os-release", "../usr/lib/os-release", "usr/lib", "/../../../../lib64"));
        assertThat(paths.inRoot("/etc/os-release")).isEqualTo(ROOT.resolve("lib64/os-release"));
        assertThat(with(Map.of()).inRoot("/../../etc/./passwd")).isEqualTo(ROOT.resolve("etc/passwd"));
    }

    @Test
    void aLoopIsRefusedByName() {
        HostPaths paths = with(Map.of("etc/a", "b", "etc/b", "/etc/a"));
        assertThatThrownBy(() -> paths.inRoot("/etc/a/x"))
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.LINK_LOOP))
                .hasMessageContaining("/etc/a/x")
                .hasMessageContaining("more than 40 symbolic links");
    }

    @Test
    void theHostsPartIsFollowedTheAgentsPartRefusesEveryLink() {
        // NixOS: /etc/systemd/system is a link into the store; the agent's drop-in directory below it is not one
        HostPaths nixos = with(Map.of("etc/systemd/system", "/etc/static/systemd/system"));
        assertThat(nixos.agentOwned("/etc/systemd/system/", "demo.service.d/50-confext-operator.conf"))
                .isEqualTo(ROOT.resolve("etc/static/systemd/system/demo.service.d/50-confext-operator.conf"));

        HostPaths planted = with(Map.of("var/lib/confext-operator/bundles/demo.v", "/etc"));
        assertThatThrownBy(() -> planted.agentOwned("/var/lib", "confext-operator/bundles/demo.v/demo_1"))
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.SYMLINK))
                .hasMessage(
                        "/var/lib/confext-operator/bundles/demo.v on the host is a symbolic link to /etc; the agent does"
                                + " not follow links it did not create: remove it (the agent creates a real directory or file"
                                + " there on its next pass)");
    }

    @Test
    void theLastComponentOfAnAgentPathIsCheckedToo() {
        HostPaths planted = with(Map.of("run/systemd/system/demo.service.d/50-confext-operator.conf", "/etc/shadow"));
        assertThatThrownBy(() -> planted.agentOwned("/run/systemd/system/", "demo.service.d/50-confext-operator.conf"))
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.SYMLINK))
                .hasMessageStartingWith("/run/systemd/system/demo.service.d/50-confext-operator.conf on the host is a"
                        + " symbolic link to /etc/shadow");
    }

    @Test
    void dotAndDotDotAreNotAgentPaths() {
        assertThatThrownBy(() -> with(Map.of()).agentOwned("/var/lib", "confext-operator/../../etc"))
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.NOT_NORMAL));
    }

    @Test
    void missingComponentsAreFineTheAgentCreatesThem() {
        assertThat(with(Map.of()).agentOwned("/var/lib", "confext-operator/staging/x"))
                .isEqualTo(ROOT.resolve("var/lib/confext-operator/staging/x"));
        assertThat(with(Map.of()).agentOwned("/var/lib/confexts", "")).isEqualTo(ROOT.resolve("var/lib/confexts"));
    }

    @Test
    void agentPathsAreNamedAsTheHostNamesThem() {
        assertThat(HostPaths.hostView(Path.of("/proc/17/root/var/lib/x"))).isEqualTo("/var/lib/x");
        assertThat(HostPaths.hostView(Path.of("/proc/17/root"))).isEqualTo("/");
        assertThat(HostPaths.hostView(Path.of("/tmp/host/var"))).isEqualTo("/tmp/host/var");
    }

    @Test
    void onARealFileSystemAPlantedLinkIsRefusedAndItsTargetUntouched(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("host"));
        Path victim = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(root.resolve("var/lib/confext-operator"));
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator/quarantine"), victim);
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator/dangling"), Path.of("/nowhere"));
        HostPaths paths = new HostPaths(root);

        assertThatThrownBy(() -> paths.agentOwned("/var/lib", "confext-operator/quarantine/demo"))
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.SYMLINK))
                .hasMessageContaining("is a symbolic link to " + victim);
        assertThatThrownBy(() -> HostPaths.refuseLink(root.resolve("var/lib/confext-operator/dangling")))
                .as("a dangling link is a link too")
                .isInstanceOf(HostPaths.Refused.class)
                .hasMessageContaining("/nowhere");
        HostPaths.refuseLink(root.resolve("var/lib/confext-operator")); // a real directory passes
        HostPaths.refuseLink(root.resolve("var/lib/confext-operator/missing"));
        try (var s = Files.list(victim)) {
            assertThat(s.toList()).isEmpty();
        }

        // a host-owned absolute link ends in the host's root, not in the test's (the agent's) /etc
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=host\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("/usr/lib/os-release"));
        assertThat(new HostFiles(root).readString("/etc/os-release")).contains("ID=host\n");
    }
}
