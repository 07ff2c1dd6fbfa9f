package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide rules of the bundle admission policy. Every list is bounded, so the API server
 * can bound the cost of the policy's CEL expressions over it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfextBundlePolicySpec {

    @JsonPropertyDescription(
            "true: every image bundle must set verification.requireSignature: true (rule signed-images). "
                    + "The agents enforce the same on the node (CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES), so a bundle admitted "
                    + "before the policy changed is refused there too.")
    private Boolean requireSignedImages;

    @Size(max = 63)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$")
    @JsonPropertyDescription(
            "The only namespace a bundle's verification.secretRef may name (rule trust-namespace): the "
                    + "release namespace, where the operator may read trust Secrets. Empty: trust Secrets are refused; "
                    + "only trust: Node is possible.")
    private String trustNamespace;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Namespaces whose ConfigMaps a bundle's source.configMapRef may name (rule source-namespace): "
                    + "the namespaces where the operator is granted ConfigMap reads.")
    private List<@Size(min = 1, max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> sourceNamespaces;

    @Size(max = 16)
    @JsonPropertyDescription("Node selectors known to match no control-plane node (for example "
            + "{node-role.kubernetes.io/worker: \"\"}). A bundle whose nodeSelector contains all pairs of one of them "
            + "stays off control-plane nodes; any other bundle may reach them and needs a grant with controlPlane: true "
            + "(rule control-plane).")
    private List<@Size(min = 1, max = 16) Map<String, String>> workerNodeSelectors;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Sensitive paths under /etc no bundle may write unless a grant lifts the entry (rule denied-path). "
                    + "An entry ending in '/' is a directory and all below it; one ending in '*' a prefix; else one exact path.")
    private List<@Size(min = 1, max = 255) String> deniedPaths;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Who may do what. A request is admitted when the grants naming its requester together allow "
                    + "every part of the bundle, and one of them allows all of it (rule one-grant). A requester no grant names "
                    + "may create no bundle at all (rule requester).")
    private List<PolicyGrant> grants;

    public Boolean getRequireSignedImages() {
        return requireSignedImages;
    }

    public void setRequireSignedImages(Boolean requireSignedImages) {
        this.requireSignedImages = requireSignedImages;
    }

    public String getTrustNamespace() {
        return trustNamespace;
    }

    public void setTrustNamespace(String trustNamespace) {
        this.trustNamespace = trustNamespace;
    }

    public List<String> getSourceNamespaces() {
        return sourceNamespaces;
    }

    public void setSourceNamespaces(List<String> sourceNamespaces) {
        this.sourceNamespaces = sourceNamespaces;
    }

    public List<Map<String, String>> getWorkerNodeSelectors() {
        return workerNodeSelectors;
    }

    public void setWorkerNodeSelectors(List<Map<String, String>> workerNodeSelectors) {
        this.workerNodeSelectors = workerNodeSelectors;
    }

    public List<String> getDeniedPaths() {
        return deniedPaths;
    }

    public void setDeniedPaths(List<String> deniedPaths) {
        this.deniedPaths = deniedPaths;
    }

    public List<PolicyGrant> getGrants() {
        return grants;
    }

    public void setGrants(List<PolicyGrant> grants) {
        this.grants = grants;
    }
}
