package io.confext.agent.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the watch on this node's ConfextNode is established (the API answers) and host systemd
 * answered the loop's last check. Reads what the loop observed; never calls the host itself.
 */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    private final AgentHealth health;

    @Inject
    public AgentReadiness(AgentHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        boolean api = health.apiConnected();
        AgentHealth.HostCheck host = health.host();
        return HealthCheckResponse.named("api-and-host")
                .status(api && host.reachable())
                .withData("apiWatching", api)
                .withData("hostSystemd", host.reachable())
                .withData("hostDetail", host.detail())
                .withData("hostCheckedAt", host.at().toString())
                .build();
    }
}
