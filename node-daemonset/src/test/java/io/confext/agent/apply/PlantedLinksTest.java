package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import io.confext.agent.state.AgentState;
import io.confext.agent.state.StateLayout;
import io.confext.agent.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's stores on a directory standing for a host root, with links planted where the agent writes: each refuses
 * with {@link HostPaths#SYMLINK} and the link's target is left exactly as it was.
 */
class PlantedLinksTest {
    @TempDir
    Path dir;

    Path root;
    Path victim;
    HostFiles host;
    StateLayout layout;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("host"));
        victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("keep"), "untouched");
        host = new HostFiles(root);
        layout = new StateLayout(host, StateLayout.DEFAULT_HOST_DIR);
    }

    private void assertVictimUntouched() throws Exception {
        try (var s = Files.list(victim)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep");
        }
        assertThat(Files.readString(victim.resolve("keep"))).isEqualTo("untouched");
    }

    private static void refusedAsSymlink(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String hostPath) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.SYMLINK))
                .hasMessageContaining(hostPath + " on the host is a symbolic link to ")
                .hasMessageContaining("the agent does not follow links it did not create");
    }

    @Test
    void aLinkedStateFileIsNeitherReadNorWritten() throws Exception {
        Files.createDirectories(root.resolve("var/lib/confext-operator"));
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator/state.json"), victim.resolve("keep"));
        StateStore store = new StateStore(layout::stateFile);
        refusedAsSymlink(store::load, "/var/lib/confext-operator/state.json");
        refusedAsSymlink(() -> store.save(AgentState.empty()), "/var/lib/confext-operator/state.json");
        assertVictimUntouched();
    }

    @Test
    void aLinkedStateDirectoryRefusesEverythingBelowIt() throws Exception {
        Files.createDirectories(root.resolve("var/lib"));
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator"), victim);
        refusedAsSymlink(layout::lockFile, "/var/lib/confext-operator");
        refusedAsSymlink(layout::staging, "/var/lib/confext-operator");
        refusedAsSymlink(() -> new Quarantine(layout::quarantine).names(), "/var/lib/confext-operator");
        assertVictimUntouched();
    }

    @Test
    void aLinkedVersionsDirectoryOrVersionIsRefused() throws Exception {
        Files.createDirectories(root.resolve("var/lib/confext-operator/bundles"));
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator/bundles/demo.v"), victim);
        refusedAsSymlink(
                () -> layout.agentPath(layout.serviceVersionsHostPath("demo")),
                "/var/lib/confext-operator/bundles/demo.v");

        Path other = Files.createDirectories(root.resolve("var/lib/confext-operator/bundles/other.v"));
        Files.createSymbolicLink(other.resolve("other_9"), victim);
        VersionsDirectory v = new VersionsDirectory(layout.agentPath(layout.serviceVersionsHostPath("other")), "other");
        assertThatThrownBy(v::versions)
                .isInstanceOfSatisfying(
                        HostPaths.Refused.class, r -> assertThat(r.reason()).isEqualTo(HostPaths.SYMLINK))
                .hasMessageContaining("other_9");
        assertVictimUntouched();
    }

    @Test
    void aLinkedQuarantineOfABundleIsRefused() throws Exception {
        Files.createDirectories(root.resolve("var/lib/confext-operator/quarantine"));
        Files.createSymbolicLink(root.resolve("var/lib/confext-operator/quarantine/demo"), victim);
        Quarantine q = new Quarantine(layout::quarantine);
        refusedAsSymlink(() -> q.forget("demo"), "/var/lib/confext-operator/quarantine/demo");
        refusedAsSymlink(() -> q.held("demo"), "/var/lib/confext-operator/quarantine/demo");
        assertVictimUntouched();
    }

    @Test
    void theAgentsOwnImageLinkInTheConfextDirectoryIsAllowedItsParentsAreChecked() throws Exception {
        Path confexts = Files.createDirectories(root.resolve("var/lib/confexts"));
        Files.createSymbolicLink(confexts.resolve("demo.raw"), Path.of("demo.v/demo_1.raw"));
        assertThat(layout.agentPath(StateLayout.HOST_CONFEXT_DIR + "/demo.raw"))
                .isEqualTo(confexts.resolve("demo.raw"));
        Files.createSymbolicLink(confexts.resolve("demo.v"), victim);
        refusedAsSymlink(() -> layout.agentPath(layout.hostVersionsHostPath("demo")), "/var/lib/confexts/demo.v");
    }

    @Test
    void aLinkedDropInDirectoryIsRefusedBeforeAnyWrite() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system/demo.service.d"), victim);
        DropInStore store = new DropInStore(host);
        refusedAsSymlink(() -> store.check(java.util.List.of("demo.service")), "/etc/systemd/system/demo.service.d");
        refusedAsSymlink(() -> store.put("demo.service", "[Service]\n"), "/etc/systemd/system/demo.service.d");
        assertVictimUntouched();

        // a host whose /etc/systemd/system is itself a link (NixOS) keeps working: that part is the host's
        Path nixHost = Files.createDirectories(dir.resolve("nixhost"));
        Files.createDirectories(nixHost.resolve("etc/static"));
        Files.createDirectories(nixHost.resolve("nix/store/abc/system"));
        Files.createDirectories(nixHost.resolve("etc/systemd"));
        Files.createSymbolicLink(nixHost.resolve("etc/systemd/system"), Path.of("/nix/store/abc/system"));
        assertThat(new DropInStore(new HostFiles(nixHost)).put("demo.service", "[Service]\n"))
                .isTrue();
        assertThat(nixHost.resolve("nix/store/abc/system/demo.service.d/" + DropIn.FILE_NAME))
                .hasContent("[Service]\n");
        assertThat(Files.exists(Path.of("/nix/store/abc/system/demo.service.d")))
                .as("not the agent's own /nix")
                .isFalse();
    }
}
