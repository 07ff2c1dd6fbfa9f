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

    @JsonPropertyDescription("True when this completion moved the fleet back to an earlier version: spec.version set"
            + " back, the confext.io/undo annotation, or onFailure: Rollback.")
    private Boolean rollback;

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

    public Boolean getRollback() {
        return rollback;
    }

    public void setRollback(Boolean rollback) {
        this.rollback = rollback;
    }
}
