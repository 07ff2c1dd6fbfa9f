package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.box.ApiServerMode;
import io.confext.box.BoxArguments;
import io.confext.box.ClusterInABox;
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
 * The box's fallback for a machine without the real kube-apiserver, forced with {@code --api-server=mock} so it
 * runs here too: it says it runs fabric8's mock server, and the operator (told to write without server-side apply,
 * which the mock lacks) still rolls the sample bundle out on all 3 hosts.
 */
@E2eTest
class MockApiServerBoxTest {
    /** The box's work directory (logs, kubeconfig, copied apps): kept for a look when the test failed, else removed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void onTheMockApiServerTheBoxSaysSoAndStillRollsTheSampleBundleOut() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

        int exit =
                ClusterInABox.run(new BoxArguments(true, Duration.ofMinutes(5), ApiServerMode.MOCK), out, root, work);

        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code; output:\n%s", text).isZero();
        assertThat(text)
                .contains("--api-server=mock: starting fabric8's mock API server")
                .contains("API server: fabric8 mock API server")
                .doesNotContain("starting the real kube-apiserver")
                .contains("ROLLED OUT: demo 1.0 is active and proven on all 3 hosts")
                .contains("kubectl does not work against it")
                .contains("[box] cleaned up");
        for (String host : ClusterInABox.HOSTS) {
            assertThat(text)
                    .contains(host + ": demo.service (pid ")
                    .contains("reads greeting=hello from the confext bundle demo 1.0");
        }
    }
}
