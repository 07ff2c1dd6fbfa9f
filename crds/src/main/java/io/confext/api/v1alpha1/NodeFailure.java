package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node that failed a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeFailure {

    @JsonPropertyDescription("Node name.")
    private String node;

    @JsonPropertyDescription("CamelCase machine-readable reason, for example ReloadFailed.")
    private String reason;

    @JsonPropertyDescription("What went wrong, for people.")
    private String message;

    @JsonPropertyDescription("When the failure was first seen (RFC 3339).")
    private String since;

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

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }
}
