package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.client.ChaCha20FirstHttpClientFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cipher suite the operator's Kubernetes client negotiates with a real kube-apiserver (Go's TLS), as the JDK
 * records it (JFR's {@code jdk.TLSHandshake}): ChaCha20-Poly1305, the cheap one under the chart's C1-only JIT. fabric8's
 * plain Vert.x client, on the same server, is the control: it gets AES-GCM (Netty's cipher list has no ChaCha20).
 */
@RealApiServerTest
class OperatorClientTlsTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(20);
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theOperatorsClientNegotiatesChaCha20() throws Exception {
        assertThat(handshakeSuites(new ChaCha20FirstHttpClientFactory(vertx)))
                .isNotEmpty()
                .containsOnly("TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void fabric8sPlainVertxClientNegotiatesAesGcm() throws Exception {
        assertThat(handshakeSuites(new VertxHttpClientFactory(vertx)))
                .isNotEmpty()
                .allSatisfy(suite -> assertThat(suite).contains("_GCM_"));
    }

    /**
     * The packaged operator, started with the chart's JVM flags and environment: its own handshakes, as the JDK logs
     * them, are ChaCha20. (The first build of this change negotiated AES-GCM: ArC had dropped the unused client
     * producer, which no test that injects the client can see.)
     */
    @Test
    void thePackagedOperatorNegotiatesChaCha20() throws Exception {
        String release = "tls-confext-operator";
        String namespace = "tls-test";
        ChartInstaller.install(server, release, namespace);
        Crds.installAll(server.admin(), RepoFiles.fromBuild().crds());
        Deployment deployment = server.admin()
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName(release)
                .get();
        ChartOperatorLaunch launch = ChartOperatorLaunch.from(deployment, release + "-0");
        Path work = Path.of("target", "operator-client-tls").toAbsolutePath();
        Files.createDirectories(work);
        Path kubeconfig = work.resolve("kubeconfig.yaml");
        Files.writeString(kubeconfig, server.kubeConfigYaml());
        Map<String, String> env = new LinkedHashMap<>(launch.env());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        List<String> flags = new ArrayList<>(launch.jvmFlags());
        flags.add("-Djavax.net.debug=ssl:handshake");
        Path jar = RepoFiles.fromBuild().root().resolve("operator/target/quarkus-app/quarkus-run.jar");
        try (OperatorProcess operator = OperatorProcess.start(jar, flags, env, work.resolve("operator.log"))) {
            operator.awaitStarted(Duration.ofMinutes(3));
            long end = System.nanoTime() + EVENT_WAIT.toNanos();
            while (negotiated(operator.logText()).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(250);
            }
            assertThat(negotiated(operator.logText()))
                    .as("the suites in the operator's handshake log (%s)", work.resolve("operator.log"))
                    .isNotEmpty()
                    .containsOnly("TLS_CHACHA20_POLY1305_SHA256");
        }
    }

    /** The suites of the ServerHellos in a {@code javax.net.debug=ssl:handshake} log. */
    private static List<String> negotiated(String log) {
        return SERVER_SUITE.matcher(log).results().map(m -> m.group(1)).toList();
    }

    private static final Pattern SERVER_SUITE = Pattern.compile("\"cipher suite\"\\s*:\\s*\"(\\w+)\\(");

    private final ApiServer server;

    OperatorClientTlsTest(ApiServer server) {
        this.server = server;
    }

    /** The suites of the handshakes one LIST through a client from {@code factory} makes. */
    private List<String> handshakeSuites(HttpClient.Factory factory) throws Exception {
        List<String> suites = new CopyOnWriteArrayList<>();
        try (RecordingStream events = new RecordingStream()) {
            events.enable("jdk.TLSHandshake");
            events.onEvent("jdk.TLSHandshake", e -> suites.add(e.getString("cipherSuite")));
            events.startAsync();
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(server.admin().getConfiguration())
                    .withHttpClientFactory(factory)
                    .build()) {
                assertThat(client.namespaces().list().getItems()).isNotEmpty();
            }
            long end = System.nanoTime() + EVENT_WAIT.toNanos();
            // JFR hands events to the stream about once a second
            while (suites.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
        return List.copyOf(suites);
    }
}
