package io.confext.operator.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.arc.Unremovable;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces Quarkus' default KubernetesClient bean (the same Config, serialization and Vert.x instance) with one whose
 * TLS offers ChaCha20-Poly1305 first: under the chart's C1-only JIT that is ~4x cheaper to decrypt than AES-GCM, and
 * decrypting the ConfextNode watch streams was about a third of the operator's CPU (issue #18, BENCHMARKS.md). QOSDK
 * and every reconciler use this client.
 */
public class KubernetesClientBeans {

    /**
     * Unremovable: nothing in the application injects the client (QOSDK looks it up programmatically, the reconcilers
     * get it from their Context), so ArC would drop this producer as unused and keep Quarkus' default bean.
     */
    @Produces
    @Singleton
    @Unremovable
    KubernetesClient kubernetesClient(KubernetesSerialization serialization, Config config, Vertx vertx) {
        return new KubernetesClientBuilder()
                .withKubernetesSerialization(serialization)
                .withConfig(config)
                .withHttpClientFactory(new ChaCha20FirstHttpClientFactory(vertx))
                .build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
