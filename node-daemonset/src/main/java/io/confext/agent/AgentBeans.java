package io.confext.agent;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.confext.agent.apply.HostApplier;
import io.confext.agent.apply.StepObserver;
import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.health.AgentHealth;
import io.confext.agent.systemd.DbusSystemd;

/** Beans shared by the work loop and the health checks, and the host side for the configured host PID. */
public class AgentBeans {

    @Produces
    @Singleton
    AgentHealth agentHealth() {
        return new AgentHealth(Clock.systemUTC());
    }

    @Produces
    @Singleton
    HostApplier hostApplier(AgentConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String agentVersion) {
        long pid = config.hostPid();
        return new SystemdHostApplier(pid, config.stateDir(), () -> DbusSystemd.connect(pid), StepObserver.NONE,
                agentVersion, Duration.ofSeconds(90), Duration.ofSeconds(15), Duration.ofSeconds(60));
    }
}
