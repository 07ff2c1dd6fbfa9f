package io.confext.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Java Operator SDK runs, decided at run time from the operator's configuration. QOSDK
 * fixes both at build time ({@code quarkus.operator-sdk.enable-ssa}, leader election per profile),
 * so a packaged operator could not be switched by its environment; {@link OperatorAssembly} applies
 * these instead.
 *
 * @param serverSideApply whether JOSDK patches primaries and writes dependents with server-side apply
 * @param leaderElection  the Lease to hold before reconciling; empty: reconcile at once
 */
public record OperatorRuntime(boolean serverSideApply, Optional<LeaderElectionConfiguration> leaderElection) {
    public OperatorRuntime {
        Objects.requireNonNull(leaderElection, "leaderElection");
    }

    public static OperatorRuntime from(ConfextConfig config) {
        var op = config.operator();
        Optional<LeaderElectionConfiguration> lease = op.leaderElection().enabled()
                ? Optional.of(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                op.leaderElection().leaseName())
                        .withLeaseNamespace(op.namespace())
                        // the pod name, so a restarted pod is recognisably a new candidate (JOSDK falls back to
                        // HOSTNAME)
                        .withIdentity(op.podName().filter(n -> !n.isBlank()).orElse(null))
                        .build())
                : Optional.empty();
        return new OperatorRuntime(op.serverSideApply(), lease);
    }
}
