package io.confext.agent;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.confext.agent.health.AgentHealth;

/** Beans shared by the work loop and the health checks. */
public class AgentBeans {

    @Produces
    @Singleton
    AgentHealth agentHealth() {
        return new AgentHealth(Clock.systemUTC());
    }
}
