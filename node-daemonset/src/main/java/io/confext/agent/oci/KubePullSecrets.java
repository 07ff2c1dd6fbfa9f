package io.confext.agent.oci;

import io.confext.api.oci.OciFailure;
import io.confext.api.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Base64;
import java.util.Optional;

/** Pull Secrets read by name from the API server, in one namespace (the agent's own). */
public final class KubePullSecrets implements PullSecrets {
    static final String TYPE = "kubernetes.io/dockerconfigjson";
    static final String KEY = ".dockerconfigjson";

    private final KubernetesClient client;
    private final String namespace;

    public KubePullSecrets(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public Optional<byte[]> dockerConfigJson(String name) {
        Secret s;
        try {
            s = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new OciFailure(
                        Reason.PullSecretNotFound,
                        "the agent may not read pull Secret " + namespace + "/" + name
                                + ": list it in the chart value agent.pullSecrets");
            }
            throw e;
        }
        if (s == null) {
            return Optional.empty();
        }
        if (!TYPE.equals(s.getType()) || s.getData() == null || !s.getData().containsKey(KEY)) {
            throw new OciFailure(
                    Reason.InvalidPullSecret,
                    "pull Secret " + namespace + "/" + name + " is of type " + s.getType() + ", not " + TYPE
                            + " with a " + KEY + " key");
        }
        return Optional.of(Base64.getDecoder().decode(s.getData().get(KEY)));
    }
}
