package io.confext.agent;

import io.confext.agent.apply.ApplierSettings;
import io.confext.agent.apply.HostApplier;
import io.confext.agent.apply.ImageSettings;
import io.confext.agent.apply.StepObserver;
import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.disk.DiskSettings;
import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.health.AgentHealth;
import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.oci.KubePullSecrets;
import io.confext.agent.trust.NodeTrustSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Beans shared by the work loop and the health checks, and the host side for the configured host PID. */
public class AgentBeans {

    @Produces
    @Singleton
    AgentHealth agentHealth() {
        return new AgentHealth(Clock.systemUTC());
    }

    /** The bundles' own health checks: run by the applier's passes' side, started by {@link AgentMain}. */
    @Produces
    @Singleton
    HealthChecks healthChecks(AgentConfig config) {
        return HealthChecks.onHost(config.hostPid(), config.stateDir(), Clock.systemUTC());
    }

    /** The agent's meters in Quarkus' registry (the Prometheus one: /q/metrics). */
    @Produces
    @Singleton
    AgentMetrics agentMetrics(MeterRegistry registry) {
        return new AgentMetrics(registry);
    }

    @Produces
    @Singleton
    HostApplier hostApplier(
            AgentConfig config,
            HealthChecks healthChecks,
            AgentMetrics metrics,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String agentVersion,
            // largest image bundle downloaded (a bundle's sizeLimitBytes may only lower it)
            @ConfigProperty(name = "confext.images.max-bytes", defaultValue = "1073741824") long imageMaxBytes,
            // systemd image policy for image bundles; unset: systemd's default (kernel dm-verity). Hosts without
            // device-mapper need root=unprotected+absent:usr=absent; the agent's own verification runs first anyway
            @ConfigProperty(name = "confext.images.policy") Optional<String> imagePolicy,
            KubernetesClient client) {
        // pull Secrets of OCI sources: by name, in the agent's own namespace only (the chart's Role narrows the names)
        ImageSettings images = new ImageSettings(FetchSettings.defaults(), imageMaxBytes, imagePolicy)
                .withPullSecrets(new KubePullSecrets(client, client.getNamespace()));
        return new SystemdHostApplier(
                config.hostPid(),
                applierSettings(config, agentVersion, images),
                StepObserver.NONE,
                healthChecks,
                metrics);
    }

    /** The applier's settings: every value from the agent's configuration, none repeated here. */
    static ApplierSettings applierSettings(AgentConfig config, String agentVersion, ImageSettings images) {
        return new ApplierSettings(
                config.stateDir(),
                agentVersion,
                config.jobTimeout(),
                config.proofTimeout(),
                config.lockWait(),
                images,
                new NodeTrustSettings(config.requireSignedImages(), config.nodePolicyFile()),
                new DiskSettings(config.diskMinFreeBytes(), config.diskMaxVersionsBytes()));
    }
}
