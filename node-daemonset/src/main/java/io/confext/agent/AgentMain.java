package io.confext.agent;

import io.confext.agent.apply.HostApplier;
import io.confext.agent.health.AgentHealth;
import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.kube.NodeEvents;
import io.confext.agent.kube.NodePass;
import io.confext.agent.kube.NodeWatch;
import io.confext.agent.kube.RevisionReader;
import io.confext.agent.kube.StatusBuilder;
import io.confext.agent.kube.StatusWriter;
import io.confext.agent.kube.WorkLoop;
import io.confext.agent.unithealth.UnitWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the agent at start-up: the work loop over this node's ConfextNode, fed by a watch on that
 * one object, converging the host through the {@link HostApplier} bean. The Kubernetes client is
 * Quarkus' (in-cluster config in the pod).
 */
@ApplicationScoped
public class AgentMain {

    private static final Logger LOG = Logger.getLogger(AgentMain.class);

    @Inject
    AgentConfig config;

    @Inject
    KubernetesClient client;

    @Inject
    Instance<HostApplier> hosts;

    @Inject
    AgentHealth health;

    @Inject
    Instance<HealthChecks> healthChecks;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String agentVersion;

    private WorkLoop loop;
    private NodeWatch watch;
    private UnitWatcher unitWatcher;

    void start(@Observes StartupEvent event) {
        if (!hosts.isResolvable()) {
            // Stay up but unready: the probe says why, rather than a crash loop without a message.
            health.hostChecked(false, "no HostApplier implementation is deployed in this build");
            LOG.error("No (or more than one) HostApplier bean: the agent cannot touch the host and stays unready");
            return;
        }
        String node = config.nodeName();
        RevisionReader revisions = new RevisionReader(client);
        NodePass nodePass = new NodePass(
                hosts.get(),
                revisions,
                new StatusBuilder(agentVersion),
                new StatusWriter(client),
                new NodeEvents(client, config.eventsNamespace(), node, Clock.systemUTC()),
                health,
                Clock.systemUTC());
        loop = new WorkLoop(nodePass, client, node, health, config.retryInitialDelay());
        loop.start(config.resyncPeriod(), config.heartbeatInterval());
        watch = NodeWatch.start(client, node, loop);
        // a proven unit that fails, stops, restarts or loses the version is reported by a pass within seconds
        unitWatcher = new UnitWatcher(
                config.hostPid(), config.stateDir(), loop::resync, config.unitWatchPeriod(), Clock.systemUTC());
        unitWatcher.start();
        // the bundles' own health checks ask for a pass when one starts or stops failing
        if (healthChecks.isResolvable()) {
            healthChecks.get().start(loop::resync);
        }
        health.apiConnection(watch::isWatching);
        LOG.infof(
                "confext agent %s watching ConfextNode %s (host pid %d, resync every %s)",
                agentVersion, node, config.hostPid(), config.resyncPeriod());
    }

    void stop(@Observes ShutdownEvent event) {
        if (unitWatcher != null) {
            unitWatcher.close();
        }
        if (loop != null && healthChecks.isResolvable()) {
            healthChecks.get().close();
        }
        if (watch != null) {
            watch.close();
        }
        if (loop != null) {
            loop.close();
        }
    }
}
