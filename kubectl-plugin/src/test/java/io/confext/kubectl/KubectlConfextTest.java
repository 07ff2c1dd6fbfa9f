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

    /** A self-signed P-256 test certificate and its key (PKCS8), made for this test only. */
    private static final String TEST_CERT =
            "MIIBlTCCATugAwIBAgIUUVDhebEvuKo55ZF3K1it1rhSspwwCgYIKoZIzj0EAwIwHzEdMBsGA1UEAwwUa3ViZWN0bC1jb25mZXh0LXRlc3QwIBcNMjYxMjAzMTc1NDM1WhgPMjEyNjExMDkxNzU0MzVaMB8xHTAbBgNVBAMMFGt1YmVjdGwtY29uZmV4dC10ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4CJn/UPAiovCBGrFubmA1EiWTP0NBLvpI9GGm+iqPRT7CZ6tNQvntUUDQXpTJPjOEsvqY35Vfa8blkKJ+d1dbqNTMFEwHQYDVR0OBBYEFCffy0EWFJkqDi8c3lPAdhZQ+CntMB8GA1UdIwQYMBaAFCffy0EWFJkqDi8c3lPAdhZQ+CntMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgV1afjdv/B0geL0yWFgLUw3NEnxDOlqY95cG8fumqoJsCIQDOmcVFZhysNtqRE8QDlztwLOkH1Fo1F/YE/MT3C55uuw==";

    private static final String TEST_KEY =
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAJwMcqftF5QD45qhQ3uKYQvW1FajYFyt4P5UNPXcMJ+hRANCAATgImf9Q8CKi8IEasW5uYDUSJZM/Q0Eu+kj0Yab6Ko9FPsJnq01C+e1RQNBelMk+M4Sy+pjflV9rxuWQon53V1u";

    @Test
    void mainUsesOneKeyStoreRoundUnlessTheUserSetACountAndTheClientKeyStillComesBack() throws Exception {
        String before = System.getProperty(KubectlConfext.KEY_PBE_ITERATIONS);
        try {
            System.clearProperty(KubectlConfext.KEY_PBE_ITERATIONS);
            KubectlConfext.oneKeyStoreRound();
            assertThat(System.getProperty(KubectlConfext.KEY_PBE_ITERATIONS)).isEqualTo("1");
            // what fabric8 does with the kubeconfig's client key, and what the key manager reads back
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                            java.util.Base64.getDecoder().decode(TEST_KEY)));
            java.security.cert.Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(
                            java.util.Base64.getDecoder().decode(TEST_CERT)));
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null);
            char[] password = "changeit".toCharArray();
            store.setKeyEntry("key", key, password, new java.security.cert.Certificate[] {cert});
            assertThat(store.getKey("key", password).getEncoded()).isEqualTo(key.getEncoded());

            System.setProperty(KubectlConfext.KEY_PBE_ITERATIONS, "50000");
            KubectlConfext.oneKeyStoreRound();
            assertThat(System.getProperty(KubectlConfext.KEY_PBE_ITERATIONS)).isEqualTo("50000");
        } finally {
            if (before == null) {
                System.clearProperty(KubectlConfext.KEY_PBE_ITERATIONS);
            } else {
                System.setProperty(KubectlConfext.KEY_PBE_ITERATIONS, before);
            }
        }
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
