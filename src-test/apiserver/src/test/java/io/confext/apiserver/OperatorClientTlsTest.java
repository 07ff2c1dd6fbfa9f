package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.client.ChaCha20FirstHttpClientFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
