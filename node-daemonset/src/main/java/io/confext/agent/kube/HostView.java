package io.confext.agent.kube;

import io.confext.api.v1alpha1.HostFacts;

/** The host as the last check saw it: its facts, or why systemd could not be asked. */
public record HostView(HostFacts facts, String error) {

    public static HostView reachable(HostFacts facts) {
        return new HostView(facts, null);
    }

    public static HostView unreachable(String error) {
        return new HostView(null, error);
    }

    public boolean isReachable() {
        return error == null;
    }
}
