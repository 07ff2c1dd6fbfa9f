package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Desired state of a {@link ConfextBundle}: which configuration, for which units, how it is verified and rolled out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(has(self.scope) && self.scope == 'Host') || (has(self.units) && size(self.units) > 0)",
        message = "spec.units: scope Service needs at least one unit (or use scope: Host)",
        fieldPath = ".units")
@ValidationRule(
        value =
                "!has(self.verification) || !has(self.verification.requireSignature) || !self.verification.requireSignature || (has(self.source) && (has(self.source.image) || has(self.source.oci)))",
        message =
                "spec.verification.requireSignature: only image sources carry signatures; use an image source or set requireSignature: false",
        fieldPath = ".verification")
@ValidationRule(
        value =
                "!has(self.healthChecks) || self.healthChecks.all(c, !has(c.exec) || !has(c.exec.unit) || (has(self.units) && c.exec.unit in self.units))",
        message = "spec.healthChecks[].exec.unit: must be one of spec.units",
        fieldPath = ".healthChecks")
@ValidationRule(
        value =
                "!has(self.healthChecks) || self.healthChecks.all(c, !has(c.exec) || (has(c.exec.runIn) && c.exec.runIn == 'Host') || (has(self.units) && size(self.units) > 0))",
        message =
                "spec.healthChecks[].exec: a check in a unit's namespaces (runIn: Unit, the default) needs spec.units; use runIn: Host for a bundle without units",
        fieldPath = ".healthChecks")
@ValidationRule(
        value =
                "!has(self.firstAttach) || self.firstAttach == 'Restart' || !has(self.scope) || self.scope == 'Service'",
        message =
                "spec.firstAttach: WaitForUnitRestart applies to scope Service only (a Host bundle is merged into the host's /etc, which needs no restart)",
        fieldPath = ".firstAttach")
public class ConfextBundleSpec {

    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(
            value = "self.matches('^[A-Za-z0-9.~^_+-]+$')",
            message = "spec.version: use only the UAPI version characters A-Z a-z 0-9 . ~ ^ _ + - (1 to 64 of them)")
    @JsonPropertyDescription("Version of the configuration, compared with the UAPI version ordering (systemd's "
            + "strverscmp_improved). Required; 1 to 64 characters from A-Z a-z 0-9 . ~ ^ _ + -. Changing "
            + "it starts a rollout.")
    private String version;

    @Default("Service")
    @JsonPropertyDescription("Service (default): only the listed units see the configuration, through "
            + "ExtensionDirectories=/ExtensionImages= in their own mount namespace. Host: merged "
            + "system-wide into /etc by systemd-confext.")
    private Scope scope;

    @Size(max = 32)
    @ValidationRule(
            value =
                    "self.all(u, size(u) <= 255 && u.matches('^[a-zA-Z0-9:_.-]+(@[a-zA-Z0-9:_.-]+)?[.](service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$'))",
            message =
                    "spec.units: each entry must be a systemd unit name: NAME[@INSTANCE].TYPE from [a-zA-Z0-9:_.-], at most 255 characters, TYPE one of service, socket, device, mount, automount, swap, target, path, timer, slice, scope (no '/')")
    @ValidationRule(
            value = "self.all(u, self.exists_one(v, v == u))",
            message = "spec.units: each unit may be listed only once")
    @JsonPropertyDescription("systemd units whose view of /etc this bundle changes, for example chronyd.service. They "
            + "are reloaded or restarted (see reload) when the version changes. Required (at least one) "
            + "for scope Service.")
    private List<@Size(min = 1, max = 255) String> units;

    @Required
    @JsonPropertyDescription(
            "Where the configuration comes from: exactly one of image, oci, files, configMapRef or secret.")
    private BundleSource source;

    @JsonPropertyDescription("How the node agent verifies an image before it is activated.")
    private Verification verification;

    @Default("Reload")
    @JsonPropertyDescription(
            "What the agent does to the units after a new version is in place: Reload (default; systemd"
                    + " >= 258 refreshes the unit's extensions on reload), Restart, ReloadOrRestart (restart "
                    + "where the host cannot refresh on reload), None.")
    private ReloadMode reload;

    @Default("Restart")
    @JsonPropertyDescription(
            "What the agent does when this bundle is the first extension of a running unit (one started"
                    + " without any, whose mount namespace cannot take an extension before its next start): Restart (default;"
                    + " the node reports RestartPlanned first) or WaitForUnitRestart (the unit keeps running; the node reports"
                    + " WaitingForUnitRestart and proves the version once someone else restarted the unit). Later bundles on"
                    + " the same unit attach by reload where the host refreshes on reload. Scope Service only.")
    private FirstAttach firstAttach;

    @Size(max = 64)
    @JsonPropertyDescription("Only nodes whose labels match all of these key/value pairs get the bundle, like a pod's "
            + "nodeSelector. Empty: all nodes with an agent.")
    private Map<String, String> nodeSelector;

    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Overlay order of several bundles on the same unit or host: 0 to 1000, higher is stacked "
            + "later and wins. Default 0.")
    private Integer priority;

    @JsonPropertyDescription("How fast the fleet moves to a new version and what happens on failure.")
    private RolloutPolicy rollout;

    @Size(max = 8)
    @ValidationRule(
            value = "self.all(c, self.exists_one(d, d.name == c.name))",
            message = "spec.healthChecks: each check name may be used only once")
    @JsonPropertyDescription("Checks of the bundle's own (a command, an HTTP GET), shaped like Kubernetes probes: after"
            + " a node proved the version they run every periodSeconds; failureThreshold failures in a row within"
            + " minReadySeconds fail the version there (the agent falls back, the rollout halts or rolls back), later"
            + " ones make the node Degraded. At most 8.")
    private List<HealthCheck> healthChecks;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public Scope getScope() {
        return scope;
    }

    public void setScope(Scope scope) {
        this.scope = scope;
    }

    public List<String> getUnits() {
        return units;
    }

    public void setUnits(List<String> units) {
        this.units = units;
    }

    public BundleSource getSource() {
        return source;
    }

    public void setSource(BundleSource source) {
        this.source = source;
    }

    public Verification getVerification() {
        return verification;
    }

    public void setVerification(Verification verification) {
        this.verification = verification;
    }

    public ReloadMode getReload() {
        return reload;
    }

    public void setReload(ReloadMode reload) {
        this.reload = reload;
    }

    public FirstAttach getFirstAttach() {
        return firstAttach;
    }

    public void setFirstAttach(FirstAttach firstAttach) {
        this.firstAttach = firstAttach;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public RolloutPolicy getRollout() {
        return rollout;
    }

    public void setRollout(RolloutPolicy rollout) {
        this.rollout = rollout;
    }

    public List<HealthCheck> getHealthChecks() {
        return healthChecks;
    }

    public void setHealthChecks(List<HealthCheck> healthChecks) {
        this.healthChecks = healthChecks;
    }
}
