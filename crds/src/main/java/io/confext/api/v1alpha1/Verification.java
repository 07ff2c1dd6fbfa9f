package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** How an image is verified before activation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.trust) || self.trust != 'Secret' || has(self.secretRef)",
        message = "spec.verification.secretRef: required when trust is Secret",
        fieldPath = ".secretRef")
@ValidationRule(
        value = "!has(self.secretRef) || (has(self.trust) && self.trust == 'Secret')",
        message = "spec.verification.secretRef: only allowed with trust: Secret",
        fieldPath = ".secretRef")
public class Verification {

    @JsonPropertyDescription("Images only: the image must carry a dm-verity root hash signature made by a trusted "
            + "certificate. Default false (the sha256 is always checked).")
    private Boolean requireSignature;

    @Default("Node")
    @JsonPropertyDescription("Where the trusted certificates come from: Node (default; the node's own verity.d "
            + "directories, so a compromised cluster still cannot push unsigned config) or Secret (PEM "
            + "*.crt entries of secretRef).")
    private TrustSource trust;

    @JsonPropertyDescription("Secret with PEM certificates (keys ending in .crt). Required with trust: Secret, not "
            + "allowed otherwise.")
    private SecretRef secretRef;

    public Boolean getRequireSignature() {
        return requireSignature;
    }

    public void setRequireSignature(Boolean requireSignature) {
        this.requireSignature = requireSignature;
    }

    public TrustSource getTrust() {
        return trust;
    }

    public void setTrust(TrustSource trust) {
        this.trust = trust;
    }

    public SecretRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretRef secretRef) {
        this.secretRef = secretRef;
    }
}
