package io.confext.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * The operator's settings as plain values, so reconcilers can be built in tests without Quarkus.
 *
 * @param namespace         where ControllerRevisions live ({@code confext.operator.namespace})
 * @param deletionTimeout   how long a deleted bundle waits for agents to report removal
 * @param eventsNamespace   where Events about cluster-scoped bundles are recorded
 */
public record OperatorSettings(String namespace, Duration deletionTimeout, String eventsNamespace) {
    public OperatorSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(deletionTimeout, "deletionTimeout");
        Objects.requireNonNull(eventsNamespace, "eventsNamespace");
    }
}
