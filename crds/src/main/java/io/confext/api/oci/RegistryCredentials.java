package io.confext.api.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.api.status.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A user name and password for one registry, taken from the {@code .dockerconfigjson} of a
 * {@code kubernetes.io/dockerconfigjson} Secret, as the kubelet takes them: the {@code auths} entry whose key is the
 * registry (with or without {@code https://} and a trailing path), its {@code auth} (base64 of user:password) or its
 * {@code username} and {@code password}.
 *
 * @param source where they came from (the Secret's name), for messages
 */
public record RegistryCredentials(String username, String password, String source) {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return "credentials of " + source;
    }

    /** The {@code Authorization: Basic} value. */
    public String basic() {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the credentials for {@code registry}, or empty when the file has none for it
     * @throws OciFailure InvalidPullSecret when the file is not a docker config
     */
    public static Optional<RegistryCredentials> fromDockerConfig(
            byte[] dockerConfigJson, String registry, String source) {
        JsonNode auths;
        try {
            auths = JSON.readTree(dockerConfigJson).path("auths");
        } catch (IOException | RuntimeException e) {
            throw new OciFailure(
                    Reason.InvalidPullSecret,
                    "pull Secret " + source + " has no valid .dockerconfigjson: it is not JSON");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!hostOf(e.getKey()).equals(registry)) {
                continue;
            }
            JsonNode a = e.getValue();
            if (a.hasNonNull("username") && a.hasNonNull("password")) {
                return Optional.of(new RegistryCredentials(
                        a.get("username").asText(), a.get("password").asText(), source));
            }
            if (a.hasNonNull("auth")) {
                String pair;
                try {
                    pair = new String(Base64.getDecoder().decode(a.get("auth").asText()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new OciFailure(
                            Reason.InvalidPullSecret,
                            "pull Secret " + source + ": the auth of " + e.getKey() + " is not base64");
                }
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    throw new OciFailure(
                            Reason.InvalidPullSecret,
                            "pull Secret " + source + ": the auth of " + e.getKey() + " is not user:password");
                }
                return Optional.of(
                        new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1), source));
            }
            throw new OciFailure(
                    Reason.InvalidPullSecret,
                    "pull Secret " + source + ": the entry of " + e.getKey()
                            + " has neither auth nor username and password");
        }
        return Optional.empty();
    }

    private static String hostOf(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    /** The docker config a Secret of type kubernetes.io/dockerconfigjson holds, for tests and tools. */
    public static String dockerConfigJson(String registry, String username, String password) {
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return JSON.createObjectNode()
                .set(
                        "auths",
                        JSON.createObjectNode()
                                .set(registry, JSON.createObjectNode().put("auth", auth)))
                .toString();
    }
}
