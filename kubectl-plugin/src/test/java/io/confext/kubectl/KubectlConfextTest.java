package io.confext.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line without an API server: options before or after the command, and failures that reach no server
 * (a missing kubeconfig, an unknown context, a refused connection) as one line naming the cause, exit code 1.
 * The commands against a real server: KubectlPluginTest in src-test/apiserver.
 */
class KubectlConfextTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubectlConfext.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** A kubeconfig for a loopback port nothing listens on. */
    private Path kubeconfig() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - {name: c, cluster: {server: "https://127.0.0.1:%d"}}
                contexts:
                - {name: ctx, context: {cluster: c, user: u, namespace: ops}}
                current-context: ctx
                users:
                - {name: u, user: {token: t}}
                """.formatted(port));
    }

    @Test
    void aRefusedConnectionNamesTheServerInWordsWithoutAStackTrace() throws IOException {
        Path config = kubeconfig();
        for (Run r : new Run[] {
            run("status", "b", "--kubeconfig", config.toString()), run("--kubeconfig", config.toString(), "status", "b")
        }) {
            assertThat(r.code).isEqualTo(1);
            assertThat(r.err)
                    .matches(
                            "error: cannot reach the API server at https://127\\.0\\.0\\.1:\\d+/: connection refused\\n");
            assertThat(r.out).isEmpty();
        }
    }

    @Test
    void anUnknownContextAndAMissingKubeconfigAreNamed() throws IOException {
        Path config = kubeconfig();
        assertThat(run("nodes", "--kubeconfig", config.toString(), "--context", "prod").err)
                .isEqualTo("error: --context prod: no such context in the kubeconfig\n");
        Run missing = run("history", "b", "--kubeconfig", dir.resolve("nothing").toString());
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err)
                .isEqualTo("error: --kubeconfig " + dir.resolve("nothing") + ": no such file, or not readable\n");
    }

    @Test
    void aMissingArgumentIsAUsageErrorAndHelpListsTheCommands() {
        Run r = run("diff", "b", "1.0");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).startsWith("Missing required parameter: 'TO'");
        assertThat(run("--help").out).contains("status", "history", "diff", "undo", "pause", "resume", "nodes");
    }
}
