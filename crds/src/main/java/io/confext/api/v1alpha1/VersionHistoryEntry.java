package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A version that was fully rolled out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionHistoryEntry {

    @JsonPropertyDescription("The version.")
    private String version;

    @JsonPropertyDescription("Its ControllerRevision name.")
    private String revision;

    @JsonPropertyDescription("When the rollout completed (RFC 3339).")
    private String completedAt;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }
}
