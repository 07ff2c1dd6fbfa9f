package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Service-account tokens from the TokenRequest API. A token bound to a Node object carries that
 * node's name in the user's extra {@code authentication.kubernetes.io/node-name} (the same key a
 * kubelet-mounted, pod-bound token carries for the pod's node), which the admission policy checks.
 */
final class Tokens {

    private Tokens() {}

    static String boundToNode(KubernetesClient admin, String namespace, String serviceAccount, Node node) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(600L)
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(node.getMetadata().getName())
                .withUid(node.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(request)
                .getStatus()
                .getToken();
    }

    static String unbound(KubernetesClient admin, String namespace, String serviceAccount) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(600L)
                .endSpec()
                .build();
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(request)
                .getStatus()
                .getToken();
    }
}
