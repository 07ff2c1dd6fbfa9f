package io.confext.operator.agent;

import io.confext.operator.ConfextConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * When {@code confext.agent.managed} is true, keeps the agent DaemonSet at startup and every
 * {@value #PERIOD_SECONDS} s after (so a deleted or edited DaemonSet comes back).
 */
@ApplicationScoped
public class AgentDaemonSetStartup {
    static final long PERIOD_SECONDS = 60;
    private static final Logger LOG = Logger.getLogger(AgentDaemonSetStartup.class);
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent ev, ConfextConfig config, KubernetesClient client) {
        if (!config.agent().managed()) {
            LOG.info("confext.agent.managed=false: the agent DaemonSet is left to the chart");
            return;
        }
        AgentDaemonSetKeeper keeper = new AgentDaemonSetKeeper(client, AgentSettings.from(config));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-daemonset-keeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                var outcome = keeper.reconcile();
                if (outcome != AgentDaemonSetKeeper.Outcome.UNCHANGED) {
                    LOG.infof("agent DaemonSet %s", outcome.name().toLowerCase());
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not reconcile the agent DaemonSet: %s", e.getMessage());
            }
        }, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
