package io.confext.api.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Objects;

/**
 * One bundle version frozen for the nodes: what the operator writes into
 * {@code ControllerRevision.data} and the agent reads back. Everything is resolved (ConfigMap
 * keys turned into files, trusted certificates copied out of the Secret, defaults applied), so the
 * agent needs nothing else from the cluster and the content cannot change under a running rollout.
 * Its identity is {@link RevisionDigest#of(RevisionContent)}.
 *
 * @param version the bundle version (UAPI version string)
 * @param scope Service or Host; defaults to Service
 * @param units the units to reload or restart; never null
 * @param source the resolved content: inline files or an image
 * @param verification how the agent verifies an image; null for inline content
 * @param reload what the agent does to the units; defaults to Reload
 * @param priority overlay order, 0..1000; higher is stacked later and wins
 * @param healthChecks the bundle's own health checks; null when there are none, so that revisions without them
 *     keep their digest (see {@link #checks()})
 * @param firstAttach what the agent does at a running unit's first extension; null for the default Restart, so
 *     that revisions frozen before the field existed keep their digest (see {@link #firstAttachOrDefault()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionContent(
        String version,
        Scope scope,
        List<String> units,
        ResolvedSource source,
        ResolvedVerification verification,
        ReloadMode reload,
        int priority,
        List<ResolvedHealthCheck> healthChecks,
        FirstAttach firstAttach) {

    public RevisionContent {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        scope = scope == null ? Scope.Service : scope;
        units = units == null ? List.of() : List.copyOf(units);
        reload = reload == null ? ReloadMode.Reload : reload;
        healthChecks = healthChecks == null || healthChecks.isEmpty() ? null : List.copyOf(healthChecks);
        firstAttach = firstAttach == FirstAttach.Restart ? null : firstAttach;
    }

    /** With the default first attachment (Restart). */
    public RevisionContent(
            String version,
            Scope scope,
            List<String> units,
            ResolvedSource source,
            ResolvedVerification verification,
            ReloadMode reload,
            int priority,
            List<ResolvedHealthCheck> healthChecks) {
        this(version, scope, units, source, verification, reload, priority, healthChecks, null);
    }

    /** Without health checks of the bundle's own. */
    public RevisionContent(
            String version,
            Scope scope,
            List<String> units,
            ResolvedSource source,
            ResolvedVerification verification,
            ReloadMode reload,
            int priority) {
        this(version, scope, units, source, verification, reload, priority, null, null);
    }

    /** What the agent does at a running unit's first extension: Restart unless the bundle asks to wait. */
    public FirstAttach firstAttachOrDefault() {
        return firstAttach == null ? FirstAttach.Restart : firstAttach;
    }

    /** The health checks, empty when there are none. */
    public List<ResolvedHealthCheck> checks() {
        return healthChecks == null ? List.of() : healthChecks;
    }
}
