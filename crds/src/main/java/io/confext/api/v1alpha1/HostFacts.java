package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Facts about a node's host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostFacts {

    @JsonPropertyDescription("systemd version of the host, for example 262.")
    private Integer systemdVersion;

    @JsonPropertyDescription("The host supports configuration extensions (systemd >= 254).")
    private Boolean confext;

    @JsonPropertyDescription("systemctl reload refreshes a unit's extensions (systemd >= 258).")
    private Boolean refreshOnReload;

    @JsonPropertyDescription("ID from the host's os-release.")
    private String osId;

    @JsonPropertyDescription("VERSION_ID from the host's os-release.")
    private String osVersionId;

    @JsonPropertyDescription("systemd architecture name, for example x86-64.")
    private String architecture;

    @JsonPropertyDescription("Version of the node agent.")
    private String agentVersion;

    public Integer getSystemdVersion() {
        return systemdVersion;
    }

    public void setSystemdVersion(Integer systemdVersion) {
        this.systemdVersion = systemdVersion;
    }

    public Boolean getConfext() {
        return confext;
    }

    public void setConfext(Boolean confext) {
        this.confext = confext;
    }

    public Boolean getRefreshOnReload() {
        return refreshOnReload;
    }

    public void setRefreshOnReload(Boolean refreshOnReload) {
        this.refreshOnReload = refreshOnReload;
    }

    public String getOsId() {
        return osId;
    }

    public void setOsId(String osId) {
        this.osId = osId;
    }

    public String getOsVersionId() {
        return osVersionId;
    }

    public void setOsVersionId(String osVersionId) {
        this.osVersionId = osVersionId;
    }

    public String getArchitecture() {
        return architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public String getAgentVersion() {
        return agentVersion;
    }

    public void setAgentVersion(String agentVersion) {
        this.agentVersion = agentVersion;
    }
}
