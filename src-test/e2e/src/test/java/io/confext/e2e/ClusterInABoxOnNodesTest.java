package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.confext.box.ApiServerMode;
import io.confext.box.BoxArguments;
import io.confext.box.BoxMode;
import io.confext.box.ClusterInABox;
import io.confext.box.NodesBox;
import io.confext.testbed.Prerequisites;
import io.confext.testsupport.tier.E2eTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command as CI runs it, in its default mode: real kubelet nodes, the built images,
 * {@code helm install}; the sample bundle applied with kubectl must be proven on all 3 nodes, the box must print
 * how to look around, exit 0 and leave no node, control-plane process or network namespace behind.
 */
@E2eTest
class ClusterInABoxOnNodesTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void theBoxOnRealNodesRollsTheSampleBundleOutAndExitsZero() throws Exception {
        Optional<String> capability = Prerequisites.missingCapability();
        Assumptions.assumeTrue(
                capability.isEmpty(),
                () -> "skipped: this machine cannot boot systemd hosts: " + capability.orElse(""));
        Path root = BoxAssumptions.repoRootOrSkip();
        NodesBox.cannotRun(root).ifPresent(why -> fail("the real-nodes box cannot start: " + why));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

        int exit = ClusterInABox.run(
                new BoxArguments(true, Duration.ofMinutes(5), ApiServerMode.AUTO, BoxMode.AUTO), out, root, work);

        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code; output:\n%s", text).isZero();
        assertThat(text).contains("[box] mode: real nodes");
        assertThat(text).contains("helm install " + NodesBox.RELEASE + " helm/confext-operator");
        assertThat(text).contains("ROLLED OUT: demo 1.0 is active and proven on all 3 nodes");
        for (int i = 1; i <= ClusterInABox.NODE_COUNT; i++) {
            assertThat(text)
                    .contains("node" + i + ": demo.service (pid ")
                    .contains("reads greeting=hello from the confext bundle demo 1.0");
        }
        assertThat(text).contains("get pods -n " + NodesBox.NAMESPACE);
        assertThat(text).contains("[box] cleaned up");
        assertThat(new ProcessBuilder("ip", "netns", "list")
                        .start()
                        .inputReader()
                        .lines()
                        .filter(l -> l.startsWith("cxk-"))
                        .toList())
                .as("network namespaces of the box's nodes after it exited")
                .isEmpty();
        assertThat(ProcessHandle.allProcesses()
                        .map(p -> p.info().command().orElse(""))
                        .filter(c -> c.endsWith("/kube-apiserver") || c.endsWith("/etcd") || c.endsWith("/kubelet"))
                        .toList())
                .as("control-plane processes after the box exited")
                .isEmpty();
    }
}
