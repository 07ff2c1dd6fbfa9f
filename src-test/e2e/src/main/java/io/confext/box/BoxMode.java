package io.confext.box;

import java.util.Locale;
import java.util.Optional;

/** How the box runs the product ({@code --mode=}). */
public enum BoxMode {
    /** Real nodes when this machine can run them, else the process mode, saying why. */
    AUTO,
    /**
     * As it ships: container images, kubelet nodes, {@code helm install}; the operator and agents are pods
     * ({@link NodesBox}).
     */
    NODES,
    /** The operator and one agent per host as plain JVMs on this machine, with the admin kubeconfig ({@link Box}). */
    PROCESSES;

    /**
     * Pure: the mode that runs, given why real nodes cannot run here (empty when they can). {@code NODES} with a
     * reason is refused by the caller, with that reason.
     */
    BoxMode resolve(Optional<String> whyNoNodes) {
        return switch (this) {
            case AUTO -> whyNoNodes.isEmpty() ? NODES : PROCESSES;
            case NODES -> NODES;
            case PROCESSES -> PROCESSES;
        };
    }

    static BoxMode parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--mode wants auto, nodes or processes, not '" + value + "'\n" + BoxArguments.USAGE);
        }
    }
}
