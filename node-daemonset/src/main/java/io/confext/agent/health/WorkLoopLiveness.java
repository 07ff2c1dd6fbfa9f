package io.confext.agent.health;

import io.confext.agent.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the work loop's heartbeat is fresh. The loop beats on every pass and on an idle tick,
 * so a stale heartbeat means its thread is stuck (a hung converge) or dead: kubelet restarts the pod.
 */
@Liveness
@ApplicationScoped
public class WorkLoopLiveness implements HealthCheck {

    private final AgentHealth health;
    private final AgentConfig config;

    @Inject
    public WorkLoopLiveness(AgentHealth health, AgentConfig config) {
        this.health = health;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var since = health.sinceLastBeat();
        return HealthCheckResponse.named("work-loop")
                .status(since.compareTo(config.livenessTimeout()) <= 0)
                .withData("lastBeat", health.lastBeat().toString())
                .withData("staleAfter", config.livenessTimeout().toString())
                .build();
    }
}
