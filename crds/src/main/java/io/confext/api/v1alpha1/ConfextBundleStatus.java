package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a {@link ConfextBundle}, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfextBundleStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Standard conditions: Available, Progressing, Degraded, Paused.")
    private List<Condition> conditions;

    @JsonPropertyDescription("Last version fully rolled out.")
    private String currentVersion;

    @JsonPropertyDescription("Version being rolled out.")
    private String targetVersion;

    @JsonPropertyDescription("ControllerRevision of currentVersion.")
    private String currentRevision;

    @JsonPropertyDescription("ControllerRevision of targetVersion.")
    private String targetRevision;

    @JsonPropertyDescription(
            "Nodes matching nodeSelector with a ready agent whose host can run the bundle (see notEligible).")
    private Integer targeted;

    @JsonPropertyDescription("Nodes on the target revision, in any phase.")
    private Integer updated;

    @JsonPropertyDescription("Nodes where the units are proven to see the target version.")
    private Integer ready;

    @JsonPropertyDescription("Nodes that failed the target revision.")
    private Integer failed;

    @JsonPropertyDescription(
            "Nodes matching nodeSelector with a ready agent whose host cannot run the bundle (NotEligible:"
                    + " no configuration extensions, or no refresh on reload for reload: Reload). They are not targeted, never"
                    + " updated and never halt the rollout.")
    private Integer notEligible;

    @JsonPropertyDescription("The first few (at most 10) NotEligible nodes with the reason.")
    private List<NotEligibleNode> notEligibleNodes;

    @JsonPropertyDescription("The first few (at most 10) node failures.")
    private List<NodeFailure> failures;

    @JsonPropertyDescription("The last few (at most 10) completed versions, newest first.")
    private List<VersionHistoryEntry> history;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(String currentVersion) {
        this.currentVersion = currentVersion;
    }

    public String getTargetVersion() {
        return targetVersion;
    }

    public void setTargetVersion(String targetVersion) {
        this.targetVersion = targetVersion;
    }

    public String getCurrentRevision() {
        return currentRevision;
    }

    public void setCurrentRevision(String currentRevision) {
        this.currentRevision = currentRevision;
    }

    public String getTargetRevision() {
        return targetRevision;
    }

    public void setTargetRevision(String targetRevision) {
        this.targetRevision = targetRevision;
    }

    public Integer getTargeted() {
        return targeted;
    }

    public void setTargeted(Integer targeted) {
        this.targeted = targeted;
    }

    public Integer getUpdated() {
        return updated;
    }

    public void setUpdated(Integer updated) {
        this.updated = updated;
    }

    public Integer getReady() {
        return ready;
    }

    public void setReady(Integer ready) {
        this.ready = ready;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }

    public List<NodeFailure> getFailures() {
        return failures;
    }

    public void setFailures(List<NodeFailure> failures) {
        this.failures = failures;
    }

    public List<VersionHistoryEntry> getHistory() {
        return history;
    }

    public void setHistory(List<VersionHistoryEntry> history) {
        this.history = history;
    }

    public Integer getNotEligible() {
        return notEligible;
    }

    public void setNotEligible(Integer notEligible) {
        this.notEligible = notEligible;
    }

    public List<NotEligibleNode> getNotEligibleNodes() {
        return notEligibleNodes;
    }

    public void setNotEligibleNodes(List<NotEligibleNode> notEligibleNodes) {
        this.notEligibleNodes = notEligibleNodes;
    }
}
