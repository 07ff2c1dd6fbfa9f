package io.confext.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator runs in the prod profile, where QOSDK would elect a leader and use
 * server-side apply whatever the environment says. The box and single-replica installs set
 * {@code CONFEXT_OPERATOR_LEADER_ELECTION_ENABLED=false} and, on the mock server,
 * {@code CONFEXT_OPERATOR_SERVER_SIDE_APPLY=false}: in the prod profile, against the mock server
 * (no server-side apply, no SelfSubjectRulesReview), the operator must then reconcile at once.
 * The mock server comes from {@link OperatorAppTest}'s test resource, which applies to every
 * {@code @QuarkusTest}.
 */
@QuarkusTest
@TestProfile(ProdProfileSwitchesTest.ProdWithSwitchesOff.class)
class ProdProfileSwitchesTest {
    public static class ProdWithSwitchesOff implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "confext.operator.leader-election.enabled",
                    "false",
                    "confext.operator.server-side-apply",
                    "false",
                    "confext.agent.managed",
                    "false",
                    "quarkus.http.test-port",
                    "0");
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    @Test
    void noLeaseNoServerSideApplyAndTheControllersRun() throws Exception {
        var config = operator.getConfigurationService();
        assertThat(config.getLeaderElectionConfiguration())
                .as("no leader election")
                .isEmpty();
        assertThat(config.useSSAToPatchPrimaryResource()).isFalse();
        assertThat(config.ssaBasedCreateUpdateMatchForDependentResources()).isFalse();
        assertThat(operator.getRegisteredControllers())
                .extracting(c -> c.getConfiguration().getName())
                .as("agent.managed=false: no agent controller")
                .containsExactlyInAnyOrder("confextbundle", "node");

        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("prod-worker")
                        .withUid("p1")
                        .endMetadata()
                        .build())
                .create();
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end
                && client.resources(ConfextNode.class).withName("prod-worker").get() == null) {
            Thread.sleep(100);
        }
        assertThat(client.resources(ConfextNode.class).withName("prod-worker").get())
                .as("reconciled without a Lease")
                .isNotNull();
        assertThat(client.leases().inAnyNamespace().list().getItems())
                .as("no Lease taken")
                .isEmpty();
    }
}
