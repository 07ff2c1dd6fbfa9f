package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How fast the fleet moves to a new version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutPolicy {

    @ValidationRule(
            value = "type(self) == int ? self >= 1 : self.matches('^([1-9][0-9]?|100)%$')",
            message = "spec.rollout.maxUnavailable: must be an integer >= 1 or a percentage from 1% to 100%")
    @JsonPropertyDescription(
            "How many nodes may be updating at once: an integer >= 1 or a percentage from 1% to 100% of"
                    + " the targeted nodes (rounded down, at least 1, like a Deployment's maxUnavailable). Default 1.")
    private IntOrString maxUnavailable;

    @JsonPropertyDescription("Update this many nodes first and wait minReadySeconds of proven health before the rest.")
    private Canary canary;

    @Min(0)
    @JsonPropertyDescription("Seconds a node must stay proven healthy before it counts as ready. >= 0, default 0.")
    private Integer minReadySeconds;

    @Min(1)
    @JsonPropertyDescription("Seconds the rollout may go without progress (no node newly assigned or becoming ready)"
            + " before the bundle reports Progressing=False with reason ProgressDeadlineExceeded and Degraded=True."
            + " Nodes are not failed by it; the rollout keeps going if they recover. >= 1, default 600.")
    private Integer progressDeadlineSeconds;

    @JsonPropertyDescription("Stop starting new nodes; nodes already updating finish.")
    private Boolean paused;

    @Default("Halt")
    @JsonPropertyDescription("What to do when a node fails: Halt (default; stop the rollout) or Rollback (move updated "
            + "nodes back to the previous version).")
    private FailurePolicy onFailure;

    @JsonPropertyDescription("Allow spec.version to go below a version this bundle already delivered although the older"
            + " version was never delivered through this bundle. Going back to a version in status.history is always"
            + " allowed (the operator rolls back to it); without this, any other older version is refused with"
            + " Degraded=True, reason DowngradeNotAllowed, and the nodes stay where they are. Default false.")
    private Boolean allowDowngrade;

    public IntOrString getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }

    public Canary getCanary() {
        return canary;
    }

    public void setCanary(Canary canary) {
        this.canary = canary;
    }

    public Integer getMinReadySeconds() {
        return minReadySeconds;
    }

    public void setMinReadySeconds(Integer minReadySeconds) {
        this.minReadySeconds = minReadySeconds;
    }

    public Integer getProgressDeadlineSeconds() {
        return progressDeadlineSeconds;
    }

    public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
        this.progressDeadlineSeconds = progressDeadlineSeconds;
    }

    public Boolean getPaused() {
        return paused;
    }

    public void setPaused(Boolean paused) {
        this.paused = paused;
    }

    public FailurePolicy getOnFailure() {
        return onFailure;
    }

    public void setOnFailure(FailurePolicy onFailure) {
        this.onFailure = onFailure;
    }

    public Boolean getAllowDowngrade() {
        return allowDowngrade;
    }

    public void setAllowDowngrade(Boolean allowDowngrade) {
        this.allowDowngrade = allowDowngrade;
    }
}
