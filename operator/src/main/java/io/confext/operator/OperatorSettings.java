package io.confext.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * The operator's settings as plain values, so reconcilers can be built in tests without Quarkus.
 *
 * @param namespace         where ControllerRevisions live ({@code confext.operator.namespace})
 * @param deletionTimeout   how long a deleted bundle waits for agents to report removal
 * @param eventsNamespace   where Events about cluster-scoped bundles are recorded
 * @param secretCopyNamespace where the per-revision copies of Secret sources live
 *     ({@code confext.operator.secret-copy-namespace}; the chart names a namespace that holds nothing else)
 */
public record OperatorSettings(
        String namespace, Duration deletionTimeout, String eventsNamespace, String secretCopyNamespace) {
    public OperatorSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(deletionTimeout, "deletionTimeout");
        Objects.requireNonNull(eventsNamespace, "eventsNamespace");
        Objects.requireNonNull(secretCopyNamespace, "secretCopyNamespace");
    }

    /** Copies of Secret sources in the operator's own namespace (tests and plain runs without the chart). */
    public OperatorSettings(String namespace, Duration deletionTimeout, String eventsNamespace) {
        this(namespace, deletionTimeout, eventsNamespace, namespace);
    }
}
