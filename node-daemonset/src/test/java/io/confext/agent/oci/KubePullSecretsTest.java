package io.confext.agent.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.oci.OciFailure;
import io.confext.api.status.Reason;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The agent reads a pull Secret by name in its own namespace, and only one of the dockerconfigjson type. */
@EnableKubernetesMockClient(crud = true)
class KubePullSecretsTest {
    KubernetesClient client;

    private void secret(String namespace, String name, String type, String key, String value) {
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withType(type)
                        .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                        .build())
                .create();
    }

    @Test
    void readsTheDockerConfigOfItsOwnNamespaceOnly() {
        secret("confext-system", "pull", KubePullSecrets.TYPE, KubePullSecrets.KEY, "{\"auths\":{}}");
        secret("elsewhere", "theirs", KubePullSecrets.TYPE, KubePullSecrets.KEY, "{\"auths\":{}}");
        PullSecrets secrets = new KubePullSecrets(client, "confext-system");

        assertThat(secrets.dockerConfigJson("pull"))
                .hasValueSatisfying(
                        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"auths\":{}}"));
        assertThat(secrets.dockerConfigJson("theirs"))
                .as("a Secret of another namespace is not found")
                .isEmpty();
        assertThat(secrets.dockerConfigJson("absent")).isEmpty();
    }

    @Test
    void aSecretOfAnotherTypeIsInvalidPullSecret() {
        secret("confext-system", "opaque", "Opaque", "password", "hunter2");
        assertThatThrownBy(() -> new KubePullSecrets(client, "confext-system").dockerConfigJson("opaque"))
                .isInstanceOfSatisfying(OciFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.InvalidPullSecret);
                    assertThat(e.getMessage())
                            .contains("kubernetes.io/dockerconfigjson")
                            .doesNotContain("hunter2");
                });
    }
}
