package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A node the bundle leaves alone because its host cannot run it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotEligibleNode {

    @JsonPropertyDescription("Node name.")
    private String node;

    @JsonPropertyDescription("CamelCase reason, for example ReloadRefreshUnsupported or ConfextUnsupported.")
    private String reason;

    @JsonPropertyDescription("What the host lacks and what would include it.")
    private String message;

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
