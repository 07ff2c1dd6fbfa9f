package io.confext.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file side: a temporary directory stands for the host root. */
class NodePolicyFileTest {
    static final String FILE = NodePolicyFile.DEFAULT_HOST_PATH;

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    Path write(String hostPath, String content) throws Exception {
        Path p = root.resolve(hostPath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void missingIsTheFloorOnly() {
        assertThat(NodePolicyFile.read(root, FILE)).isEqualTo(new LoadedNodePolicy.Absent(FILE));
    }

    @Test
    void aValidFileIsRead() throws Exception {
        write(FILE, "deniedPaths: [ssh/]\n");
        LoadedNodePolicy p = NodePolicyFile.read(root, FILE);
        assertThat(p).isInstanceOf(LoadedNodePolicy.Present.class);
        assertThat(((LoadedNodePolicy.Present) p).policy().deniedPaths()).containsExactly("ssh/");
    }

    @Test
    void invalidOrUnreadableIsBrokenNotAnException() throws Exception {
        write(FILE, "deniedPaths: [ssh/\n");
        assertThat(NodePolicyFile.read(root, FILE)).isInstanceOf(LoadedNodePolicy.Broken.class);
        Files.write(root.resolve(FILE.substring(1)), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        assertThat(((LoadedNodePolicy.Broken) NodePolicyFile.read(root, FILE)).why())
                .contains("UTF-8");
        Files.delete(root.resolve(FILE.substring(1)));
        Files.createDirectories(root.resolve(FILE.substring(1)));
        assertThat(((LoadedNodePolicy.Broken) NodePolicyFile.read(root, FILE)).why())
                .contains("not a regular file");
    }

    @Test
    void absoluteLinksResolveInTheHostRootNeverOutsideIt() throws Exception {
        // the host's /etc/confext-operator -> /srv/policy (absolute): the host's /srv, not the agent's
        write("/srv/policy/policy.yaml", "allowedScopes: [Service]\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/confext-operator"), Path.of("/srv/policy"));
        assertThat(NodePolicyFile.read(root, FILE)).isInstanceOf(LoadedNodePolicy.Present.class);
        // a link pointing at a path outside the root ends at the root: ".." never climbs out
        Files.writeString(elsewhere.resolve("policy.yaml"), "allowedScopes: [Host]\n", StandardCharsets.UTF_8);
        Files.delete(root.resolve("etc/confext-operator"));
        Files.createDirectories(root.resolve("etc/confext-operator"));
        Files.createSymbolicLink(
                root.resolve("etc/confext-operator/policy.yaml"),
                Path.of("../../../../../../../../.." + elsewhere + "/policy.yaml"));
        assertThat(NodePolicyFile.read(root, FILE)).isInstanceOf(LoadedNodePolicy.Absent.class);
    }

    @Test
    void aLinkLoopIsBroken() throws Exception {
        Files.createDirectories(root.resolve("etc/confext-operator"));
        Files.createSymbolicLink(root.resolve("etc/confext-operator/policy.yaml"), Path.of("policy.yaml"));
        assertThat(((LoadedNodePolicy.Broken) NodePolicyFile.read(root, FILE)).why())
                .contains("symbolic links");
    }
}
