package io.confext.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers that turn configuration into the plain values the reconcilers take. */
public class OperatorBeans {

    @Produces
    @Singleton
    OperatorSettings settings(ConfextConfig config) {
        return new OperatorSettings(config.operator().namespace(), config.operator().deletionTimeout(), config.operator().eventsNamespace());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A Lease in the operator's namespace; QOSDK starts the controllers only on the leader. The
     * identity is the pod name, so a restarted pod is recognisably a new candidate.
     */
    @Produces
    @Singleton
    @LookupIfProperty(name = "confext.operator.leader-election.enabled", stringValue = "true", lookupIfMissing = true)
    LeaderElectionConfiguration leaderElection(ConfextConfig config) {
        var op = config.operator();
        return io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(op.leaderElection().leaseName())
                .withLeaseNamespace(op.namespace())
                .withIdentity(op.podName().orElse(null))
                .build();
    }
}
