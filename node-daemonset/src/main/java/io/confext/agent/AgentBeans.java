package io.confext.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.confext.agent.apply.HostApplier;
import io.confext.agent.apply.ImageSettings;
import io.confext.agent.apply.StepObserver;
import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.fetch.FetchSettings;
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
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String agentVersion,
            // largest image bundle downloaded (a bundle's sizeLimitBytes may only lower it)
            @ConfigProperty(name = "confext.images.max-bytes", defaultValue = "1073741824") long imageMaxBytes,
            // systemd image policy for image bundles; unset: systemd's default (kernel dm-verity). Hosts without
            // device-mapper need root=unprotected+absent:usr=absent; the agent's own verification runs first anyway
            @ConfigProperty(name = "confext.images.policy") Optional<String> imagePolicy) {
        long pid = config.hostPid();
        return new SystemdHostApplier(pid, config.stateDir(), () -> DbusSystemd.connect(pid), StepObserver.NONE,
                agentVersion, Duration.ofSeconds(90), Duration.ofSeconds(15), Duration.ofSeconds(60),
                new ImageSettings(FetchSettings.defaults(), imageMaxBytes, imagePolicy));
    }
}
