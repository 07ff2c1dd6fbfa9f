package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One bundle a node should have, at one frozen revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DesiredBundle {

    @Required
    @JsonPropertyDescription("Name of the ConfextBundle.")
    private String name;

    @Required
    @JsonPropertyDescription("Version of the revision.")
    private String version;

    @Required
    @JsonPropertyDescription("The ControllerRevision holding the frozen content.")
    private RevisionRef revision;

    @JsonPropertyDescription(
            "True when the operator moves this node back to an older version: the agent then allows the"
                    + " downgrade.")
    private Boolean rollback;

    @Min(0)
    @JsonPropertyDescription("The bundle's spec.rollout.minReadySeconds, copied by the operator: for this long after"
            + " the activation the agent re-checks the units, and a unit that fails, stops, restarts or no longer sees"
            + " the version in that window fails the version here (local fallback). Absent: 0.")
    private Integer minReadySeconds;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public RevisionRef getRevision() {
        return revision;
    }

    public void setRevision(RevisionRef revision) {
        this.revision = revision;
    }

    public Boolean getRollback() {
        return rollback;
    }

    public void setRollback(Boolean rollback) {
        this.rollback = rollback;
    }

    public Integer getMinReadySeconds() {
        return minReadySeconds;
    }

    public void setMinReadySeconds(Integer minReadySeconds) {
        this.minReadySeconds = minReadySeconds;
    }
}
