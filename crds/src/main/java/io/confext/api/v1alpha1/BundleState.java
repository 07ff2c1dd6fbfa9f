package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** State of one bundle on one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleState {

    @JsonPropertyDescription("Name of the ConfextBundle.")
    private String name;

    @JsonPropertyDescription("ControllerRevision the agent is working on or has applied.")
    private String revision;

    @JsonPropertyDescription("Digest of that revision's content (sha256:<hex>).")
    private String digest;

    @JsonPropertyDescription("Version the operator asked for.")
    private String desiredVersion;

    @JsonPropertyDescription("Version the units' main processes really see.")
    private String activeVersion;

    @JsonPropertyDescription(
            "Pending, Fetching, Verified, Active, Degraded (proven, but a unit has since failed, stopped, restarted or"
                    + " no longer sees the version; not ready), Failed, RolledBack or Removed.")
    private BundlePhase phase;

    @JsonPropertyDescription("CamelCase machine-readable reason for the phase.")
    private String reason;

    @JsonPropertyDescription("Details for people.")
    private String message;

    @JsonPropertyDescription("When the bundle entered this phase (RFC 3339).")
    private String since;

    @JsonPropertyDescription("What each unit sees.")
    private List<UnitState> units;

    @JsonPropertyDescription(
            "Host scope: the paths of this bundle that a host-scope bundle stacked above it on the node (the higher"
                    + " priority; images by name, see docs/api.md) ships too, and which bundle the node's /etc shows"
                    + " there. Absent when none is shadowed.")
    private List<ShadowedPath> shadowed;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getDesiredVersion() {
        return desiredVersion;
    }

    public void setDesiredVersion(String desiredVersion) {
        this.desiredVersion = desiredVersion;
    }

    public String getActiveVersion() {
        return activeVersion;
    }

    public void setActiveVersion(String activeVersion) {
        this.activeVersion = activeVersion;
    }

    public BundlePhase getPhase() {
        return phase;
    }

    public void setPhase(BundlePhase phase) {
        this.phase = phase;
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

    public List<UnitState> getUnits() {
        return units;
    }

    public void setUnits(List<UnitState> units) {
        this.units = units;
    }

    public List<ShadowedPath> getShadowed() {
        return shadowed;
    }

    public void setShadowed(List<ShadowedPath> shadowed) {
        this.shadowed = shadowed;
    }
}
