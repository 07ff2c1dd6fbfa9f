package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A confext image stored as an OCI artifact in a registry (layout: docs/api.md, "OCI artifacts"). The operator
 * resolves the reference to a manifest digest once, when it freezes the version; the agents pull by that digest only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OciSource {

    @Required
    @Size(min = 3, max = 1024)
    // registry host[:port] / repository path, then :tag and/or @sha256:<64 hex>; the same grammar as OciReference
    @ValidationRule(
            value =
                    "self.matches('^[a-zA-Z0-9.-]+(:[0-9]{1,5})?/[a-z0-9]+([._-][a-z0-9]+|__[a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+|__[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$')",
            message =
                    "spec.source.oci.reference: must be REGISTRY/REPOSITORY[:TAG][@sha256:<64 lowercase hex>], e.g. registry.example.org/confext/chrony:4.5.2")
    @ValidationRule(
            value = "self.contains('@') || self.matches(':[^/]*$')",
            message = "spec.source.oci.reference: name a tag or a digest (@sha256:...)")
    @JsonPropertyDescription("REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST] of a confext artifact. A tag alone is resolved "
            + "to its manifest digest once, when the version is frozen; the nodes pull only that digest.")
    private String reference;

    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("A Secret of type kubernetes.io/dockerconfigjson in the operator's namespace, read by "
            + "name by the operator (to resolve) and the node agents (to pull). Absent: anonymous pulls.")
    private String pullSecretName;

    @Size(min = 1, max = 65536)
    @ValidationRule(
            value = "self.contains('-----BEGIN CERTIFICATE-----')",
            message = "spec.source.oci.caBundle: must hold PEM certificates (-----BEGIN CERTIFICATE-----)")
    @JsonPropertyDescription("PEM certificates of a private CA the registry's TLS certificate chains to. Absent: the "
            + "JDK's default trust.")
    private String caBundle;

    @Min(1)
    @JsonPropertyDescription("Refuse an image layer larger than this many bytes. Default: the agent's limit.")
    private Long sizeLimitBytes;

    public String getReference() {
        return reference;
    }

    public void setReference(String reference) {
        this.reference = reference;
    }

    public String getPullSecretName() {
        return pullSecretName;
    }

    public void setPullSecretName(String pullSecretName) {
        this.pullSecretName = pullSecretName;
    }

    public String getCaBundle() {
        return caBundle;
    }

    public void setCaBundle(String caBundle) {
        this.caBundle = caBundle;
    }

    public Long getSizeLimitBytes() {
        return sizeLimitBytes;
    }

    public void setSizeLimitBytes(Long sizeLimitBytes) {
        this.sizeLimitBytes = sizeLimitBytes;
    }
}
