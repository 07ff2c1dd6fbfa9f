package io.confext.operator;

import io.confext.operator.daemonset.AgentSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers that turn configuration into the plain values the reconcilers take. */
public class OperatorBeans {

    @Produces
    @Singleton
    OperatorSettings settings(ConfextConfig config) {
        return new OperatorSettings(
                config.operator().namespace(),
                config.operator().deletionTimeout(),
                config.operator().eventsNamespace(),
                config.operator().secretCopyNamespace().orElse(config.operator().namespace()));
    }

    @Produces
    @Singleton
    AgentSettings agentSettings(ConfextConfig config) {
        return AgentSettings.from(config);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
