package io.confext.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** A running real API server: an admin client (system:masters), its kubeconfig, and token clients. */
record ApiServer(KubernetesClient admin, String kubeConfigYaml) {

    /** A client that authenticates with a bearer token only (a service account's, say). */
    KubernetesClient withToken(String token) {
        return withToken(token, http -> {});
    }

    /** The same, with a hook on the HTTP client (an interceptor that counts requests, say). */
    KubernetesClient withToken(
            String token, java.util.function.Consumer<io.fabric8.kubernetes.client.http.HttpClient.Builder> http) {
        Config adminConfig = admin.getConfiguration();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withCaCertData(adminConfig.getCaCertData())
                .withOauthToken(token)
                .build();
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(http)
                .build();
    }
}
