package io.confext.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.status.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theEntryOfTheRegistryWithOrWithoutSchemeAndPath() {
        String auth = Base64.getEncoder().encodeToString(b("u:p:with:colons"));
        byte[] config =
                b("{\"auths\":{\"other.example\":{\"auth\":\"eDp5\"},\"https://r.example:5000/v1/\":{\"auth\":\"" + auth
                        + "\"}}}");
        RegistryCredentials c = RegistryCredentials.fromDockerConfig(config, "r.example:5000", "pull")
                .orElseThrow();
        assertThat(c.username()).isEqualTo("u");
        assertThat(c.password()).isEqualTo("p:with:colons");
        assertThat(c.toString()).doesNotContain("p:with").contains("pull");
        assertThat(RegistryCredentials.fromDockerConfig(config, "absent.example", "pull"))
                .isEmpty();
    }

    @Test
    void usernameAndPasswordFieldsAndTheGeneratedConfigRoundTrip() {
        assertThat(RegistryCredentials.fromDockerConfig(
                        b("{\"auths\":{\"r\":{\"username\":\"a\",\"password\":\"b\"}}}"), "r", "s"))
                .contains(new RegistryCredentials("a", "b", "s"));
        assertThat(RegistryCredentials.fromDockerConfig(
                        b(RegistryCredentials.dockerConfigJson("r:1", "a", "b")), "r:1", "s"))
                .contains(new RegistryCredentials("a", "b", "s"));
    }

    @Test
    void aBrokenConfigIsInvalidPullSecret() {
        for (String bad : new String[] {
            "nope",
            "{\"auths\":{\"r\":{\"auth\":\"!!\"}}}",
            "{\"auths\":{\"r\":{\"auth\":\"" + Base64.getEncoder().encodeToString(b("nocolon")) + "\"}}}",
            "{\"auths\":{\"r\":{}}}"
        }) {
            assertThatThrownBy(() -> RegistryCredentials.fromDockerConfig(b(bad), "r", "s"))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            OciFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.InvalidPullSecret));
        }
    }
}
