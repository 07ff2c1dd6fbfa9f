package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.box.ApiServerMode;
import io.confext.box.BoxArguments;
import io.confext.box.BoxMode;
import io.confext.box.ClusterInABox;
import io.confext.testbed.K8sBinaries;
import io.confext.testsupport.tier.E2eTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command as CI runs it, in the process mode ({@code --mode=processes}; the default, real nodes,
 * is {@link ClusterInABoxOnNodesTest}): the box's main with {@code --exit-after-rollout} must roll the sample
 * bundle out on all 3 hosts, print how to look around, exit 0, and leave nothing running behind.
 */
@E2eTest
class ClusterInABoxTest {
    /** The box's work directory (logs, kubeconfig, copied apps): kept for a look when the test failed, else removed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void theBoxRollsTheSampleBundleOutAndExitsZero() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

        int exit = ClusterInABox.run(
                new BoxArguments(true, Duration.ofMinutes(5), ApiServerMode.AUTO, BoxMode.PROCESSES), out, root, work);

        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code; output:\n%s", text).isZero();
        assertThat(text).contains("ROLLED OUT: demo 1.0 is active and proven on all 3 hosts");
        for (String host : ClusterInABox.HOSTS) {
            assertThat(text)
                    .contains(host + ": demo.service (pid ")
                    .contains("reads greeting=hello from the confext bundle demo 1.0");
            assertThat(text).containsPattern("node " + host + ": demo assigned 1.0, .*Active, sees 1.0");
        }
        assertThat(text).contains("[box] cleaned up");
        Path launcher = root.resolve("node-daemonset/src/main/sh/confext-agent");
        for (String host : ClusterInABox.HOSTS) {
            // the box's agents run the production launcher (its JVM flags), not a plain java -jar
            assertThat(work.resolve("logs/agent-" + host + ".log"))
                    .content()
                    .startsWith("---- starting agent-" + host + ": /bin/sh " + launcher + "\n");
        }
        assertThat(work.resolve("kubeconfig")).isRegularFile();
        if (K8sBinaries.find().available()) {
            assertThat(text).contains("--kubeconfig " + work.resolve("kubeconfig") + " get cxb");
        } else {
            assertThat(text).contains("kubectl does not work against it");
        }
    }
}
