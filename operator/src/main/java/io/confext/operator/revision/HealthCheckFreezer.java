package io.confext.operator.revision;

import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.CheckNamespace;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.HealthCheck;
import io.confext.api.v1alpha1.HttpScheme;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's {@code spec.healthChecks} as the agent runs them: defaults applied (those of a Kubernetes probe:
 * timeout 1 s, period 10 s, threshold 3), an exec check's unit resolved to the first of spec.units. The CRD's rules
 * refuse most bad checks at admission; what they cannot see is refused here with a message.
 */
final class HealthCheckFreezer {

    private HealthCheckFreezer() {}

    static List<ResolvedHealthCheck> freeze(ConfextBundleSpec spec) {
        if (spec.getHealthChecks() == null) {
            return List.of();
        }
        List<ResolvedHealthCheck> out = new ArrayList<>();
        for (HealthCheck c : spec.getHealthChecks()) {
            if (c.getName() == null || (c.getExec() == null) == (c.getHttpGet() == null)) {
                throw new UnresolvableBundleException(
                        Reason.InvalidSpec,
                        "spec.healthChecks: each check needs a name and exactly one of exec or httpGet");
            }
            ResolvedHealthCheck.Exec exec = null;
            ResolvedHealthCheck.HttpGet get = null;
            if (c.getExec() != null) {
                boolean inUnit = c.getExec().getRunIn() != CheckNamespace.Host;
                String unit = c.getExec().getUnit();
                if (inUnit && unit == null) {
                    if (spec.getUnits() == null || spec.getUnits().isEmpty()) {
                        throw new UnresolvableBundleException(
                                Reason.InvalidSpec,
                                "spec.healthChecks[" + c.getName()
                                        + "].exec: runIn: Unit needs a unit, and the bundle lists none; use runIn: Host");
                    }
                    unit = spec.getUnits().get(0);
                }
                if (c.getExec().getCommand() == null || c.getExec().getCommand().isEmpty()) {
                    throw new UnresolvableBundleException(
                            Reason.InvalidSpec, "spec.healthChecks[" + c.getName() + "].exec.command is empty");
                }
                exec = new ResolvedHealthCheck.Exec(c.getExec().getCommand(), inUnit, inUnit ? unit : null);
            } else {
                if (c.getHttpGet().getPort() == null) {
                    throw new UnresolvableBundleException(
                            Reason.InvalidSpec, "spec.healthChecks[" + c.getName() + "].httpGet.port is required");
                }
                String path =
                        c.getHttpGet().getPath() == null ? "/" : c.getHttpGet().getPath();
                get = new ResolvedHealthCheck.HttpGet(
                        c.getHttpGet().getPort(), path, c.getHttpGet().getScheme() == HttpScheme.HTTPS);
            }
            out.add(new ResolvedHealthCheck(
                    c.getName(),
                    exec,
                    get,
                    orDefault(c.getTimeoutSeconds(), ResolvedHealthCheck.DEFAULT_TIMEOUT_SECONDS),
                    orDefault(c.getPeriodSeconds(), ResolvedHealthCheck.DEFAULT_PERIOD_SECONDS),
                    orDefault(c.getFailureThreshold(), ResolvedHealthCheck.DEFAULT_FAILURE_THRESHOLD)));
        }
        return out;
    }

    private static int orDefault(Integer value, int dflt) {
        return value == null ? dflt : value;
    }
}
