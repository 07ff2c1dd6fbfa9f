package io.confext.operator.client;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.vertx.core.Vertx;

/**
 * fabric8's Vert.x HTTP client (the one Quarkus' kubernetes-client extension uses, on Quarkus' Vert.x) whose TLS offers
 * ChaCha20-Poly1305 first ({@link ChaCha20FirstSslContext}). The Vert.x builder offers no cipher setting of its own.
 */
public final class ChaCha20FirstHttpClientFactory implements HttpClient.Factory {
    private final Vertx vertx;

    public ChaCha20FirstHttpClientFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public VertxHttpClientBuilder<ChaCha20FirstHttpClientFactory> newBuilder() {
        return new Builder(this, vertx);
    }

    private static final class Builder extends VertxHttpClientBuilder<ChaCha20FirstHttpClientFactory> {
        private final Vertx vertx;

        Builder(ChaCha20FirstHttpClientFactory factory, Vertx vertx) {
            super(factory, vertx);
            this.vertx = vertx;
        }

        @Override
        public VertxHttpClient<ChaCha20FirstHttpClientFactory> build() {
            if (sslContext != null) {
                sslContext = ChaCha20FirstSslContext.of(sslContext);
            }
            return super.build();
        }

        /** Derived clients (other timeouts, e.g. for watches) are built by this builder too. */
        @Override
        protected VertxHttpClientBuilder<ChaCha20FirstHttpClientFactory> newInstance(
                ChaCha20FirstHttpClientFactory factory) {
            return new Builder(factory, vertx);
        }
    }
}
