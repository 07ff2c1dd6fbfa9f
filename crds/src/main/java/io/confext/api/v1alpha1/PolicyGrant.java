package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * What some requesters may put in a ConfextBundle. Restrictive where it matters when left out (only
 * scope Service, no control-plane nodes, no denied path, no image or ConfigMap source); a list of
 * units, path prefixes, node selectors or namespaces left out means no restriction of that kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyGrant {

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the grant, quoted in refusals.")
    private String name;

    @Size(max = 32)
    @JsonPropertyDescription("User names (request.userInfo.username) this grant applies to.")
    private List<@Size(min = 1, max = 253) String> users;

    @Size(max = 32)
    @JsonPropertyDescription("Groups this grant applies to (system:authenticated: every authenticated requester).")
    private List<@Size(min = 1, max = 253) String> groups;

    @Size(max = 32)
    @JsonPropertyDescription("ServiceAccounts this grant applies to.")
    private List<ServiceAccountRef> serviceAccounts;

    @Size(max = 2)
    @JsonPropertyDescription("Scopes allowed (rule scope). Default: [Service]; Host merges into every process's /etc.")
    private List<Scope> scopes;

    @Size(max = 64)
    @JsonPropertyDescription("Units allowed (rule units): exact names, or a prefix ending in '*'. Left out: any unit.")
    private List<@Size(min = 1, max = 255) String> units;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Path prefixes (relative to /etc) inline files may have (rule path-prefix). Left out: any path "
                    + "not on the deny-list.")
    private List<@Size(min = 1, max = 255) String> pathPrefixes;

    @Size(max = 64)
    @JsonPropertyDescription("Entries of deniedPaths lifted for these requesters (rule denied-path); '*' lifts all.")
    private List<@Size(min = 1, max = 255) String> liftDeniedPaths;

    @JsonPropertyDescription(
            "true: may use image and configMapRef sources, whose file paths admission cannot see (rule "
                    + "opaque-source); the node checks them against its own policy. Default false. Only a grant that may "
                    + "write every path (no pathPrefixes, liftDeniedPaths '*') should have it.")
    private Boolean opaqueSources;

    @JsonPropertyDescription("true: may target control-plane nodes (rule control-plane). Default false.")
    private Boolean controlPlane;

    @Size(max = 16)
    @JsonPropertyDescription("The bundle's nodeSelector must contain all pairs of one of these (rule node-selector), "
            + "for example a team's own node pool. Left out: any selector.")
    private List<@Size(min = 1, max = 16) Map<String, String>> nodeSelectors;

    @Size(max = 64)
    @JsonPropertyDescription("Namespaces of the ConfigMap and Secret a bundle may name (rule namespace). Left out: any "
            + "namespace the cluster-wide rules allow.")
    private List<@Size(min = 1, max = 63) String> namespaces;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getUsers() {
        return users;
    }

    public void setUsers(List<String> users) {
        this.users = users;
    }

    public List<String> getGroups() {
        return groups;
    }

    public void setGroups(List<String> groups) {
        this.groups = groups;
    }

    public List<ServiceAccountRef> getServiceAccounts() {
        return serviceAccounts;
    }

    public void setServiceAccounts(List<ServiceAccountRef> serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
    }

    public List<Scope> getScopes() {
        return scopes;
    }

    public void setScopes(List<Scope> scopes) {
        this.scopes = scopes;
    }

    public List<String> getUnits() {
        return units;
    }

    public void setUnits(List<String> units) {
        this.units = units;
    }

    public List<String> getPathPrefixes() {
        return pathPrefixes;
    }

    public void setPathPrefixes(List<String> pathPrefixes) {
        this.pathPrefixes = pathPrefixes;
    }

    public List<String> getLiftDeniedPaths() {
        return liftDeniedPaths;
    }

    public void setLiftDeniedPaths(List<String> liftDeniedPaths) {
        this.liftDeniedPaths = liftDeniedPaths;
    }

    public Boolean getOpaqueSources() {
        return opaqueSources;
    }

    public void setOpaqueSources(Boolean opaqueSources) {
        this.opaqueSources = opaqueSources;
    }

    public Boolean getControlPlane() {
        return controlPlane;
    }

    public void setControlPlane(Boolean controlPlane) {
        this.controlPlane = controlPlane;
    }

    public List<Map<String, String>> getNodeSelectors() {
        return nodeSelectors;
    }

    public void setNodeSelectors(List<Map<String, String>> nodeSelectors) {
        this.nodeSelectors = nodeSelectors;
    }

    public List<String> getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(List<String> namespaces) {
        this.namespaces = namespaces;
    }
}
