package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What one node really has, written by that node's agent only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfextNodeStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Standard conditions: Ready (agent up, API and host systemd reachable).")
    private List<Condition> conditions;

    @JsonPropertyDescription("Facts about the host the agent runs on.")
    private HostFacts host;

    @JsonPropertyDescription("Number of bundles in phase Active.")
    private Integer activeBundles;

    @JsonPropertyDescription("Number of bundles in phase Failed or RolledBack.")
    private Integer failedBundles;

    @JsonPropertyDescription("State of each bundle on this node.")
    private List<BundleState> bundles;

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

    public HostFacts getHost() {
        return host;
    }

    public void setHost(HostFacts host) {
        this.host = host;
    }

    public Integer getActiveBundles() {
        return activeBundles;
    }

    public void setActiveBundles(Integer activeBundles) {
        this.activeBundles = activeBundles;
    }

    public Integer getFailedBundles() {
        return failedBundles;
    }

    public void setFailedBundles(Integer failedBundles) {
        this.failedBundles = failedBundles;
    }

    public List<BundleState> getBundles() {
        return bundles;
    }

    public void setBundles(List<BundleState> bundles) {
        this.bundles = bundles;
    }
}
