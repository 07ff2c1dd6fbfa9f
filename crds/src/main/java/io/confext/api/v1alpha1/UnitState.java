package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one unit sees. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnitState {

    @JsonPropertyDescription("Unit name.")
    private String unit;

    @JsonPropertyDescription("Version found in the extension-release file as seen by the unit's main process.")
    private String seesVersion;

    @JsonPropertyDescription("Main PID of the unit (in the host PID namespace).")
    private Long mainPid;

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }

    public String getSeesVersion() {
        return seesVersion;
    }

    public void setSeesVersion(String seesVersion) {
        this.seesVersion = seesVersion;
    }

    public Long getMainPid() {
        return mainPid;
    }

    public void setMainPid(Long mainPid) {
        this.mainPid = mainPid;
    }
}
