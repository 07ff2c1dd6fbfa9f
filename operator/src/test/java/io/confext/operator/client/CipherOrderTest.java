package io.confext.operator.client;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class CipherOrderTest {
    private static final String[] NETTY_DEFAULTS = {
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_AES_128_GCM_SHA256"
    };

    @Test
    void chaCha20IsAddedFirstAndTheRequestedOrderKeptAfterIt() {
        String[] supported = {
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        };

        assertThat(CipherOrder.chaCha20First(NETTY_DEFAULTS, supported))
                .containsExactly(
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void aChaCha20SuiteAlreadyRequestedMovesToTheFrontOnceAndUnsupportedOnesAreNotAdded() {
        String[] requested = {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"};
        String[] supported = {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"};

        assertThat(CipherOrder.chaCha20First(requested, supported))
                .containsExactly("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
        assertThat(CipherOrder.chaCha20First(
                        new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLS_AES_128_GCM_SHA256"}))
                .containsExactly("TLS_AES_128_GCM_SHA256");
    }

    /** What Netty and Vert.x do to a client engine, on this JDK's engine: ChaCha20 stays first through both. */
    @Test
    void theWrappedJdkEngineKeepsChaCha20FirstWhateverIsSetOnIt() throws Exception {
        SSLContext jdk = SSLContext.getInstance("TLS");
        jdk.init(null, null, null);
        SSLEngine engine = ChaCha20FirstSslContext.of(jdk).createSSLEngine("api.example", 443);

        engine.setEnabledCipherSuites(NETTY_DEFAULTS);
        assertThat(engine.getEnabledCipherSuites()).startsWith("TLS_CHACHA20_POLY1305_SHA256");
        assertThat(engine.getEnabledCipherSuites()).contains(NETTY_DEFAULTS);

        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setCipherSuites(NETTY_DEFAULTS);
        engine.setSSLParameters(params);
        assertThat(engine.getEnabledCipherSuites()).startsWith("TLS_CHACHA20_POLY1305_SHA256");
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm())
                .as("the delegate's own parameters are kept, not only what SSLEngine's defaults copy")
                .isEqualTo("HTTPS");
        assertThat(engine.getPeerHost()).isEqualTo("api.example");
        assertThat(ChaCha20FirstSslContext.of(ChaCha20FirstSslContext.of(jdk)))
                .as("wrapped once")
                .isInstanceOf(ChaCha20FirstSslContext.class);
    }
}
