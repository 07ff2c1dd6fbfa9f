package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Reference to a ControllerRevision holding one frozen bundle version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRef {

    @Required
    @JsonPropertyDescription("ControllerRevision name.")
    private String name;

    @Required
    @JsonPropertyDescription("ControllerRevision namespace (the operator's namespace).")
    private String namespace;

    @Required
    @Pattern("^sha256:[0-9a-f]{64}$")
    @JsonPropertyDescription(
            "sha256:<hex> over the canonical JSON of the revision data; the agent refuses content with "
                    + "another digest.")
    private String digest;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }
}
