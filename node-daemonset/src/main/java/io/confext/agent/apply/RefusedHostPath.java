package io.confext.agent.apply;

import io.confext.agent.host.HostPaths;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The converge could not start because a link was planted where the agent keeps its state (the state directory,
 * state.json, agent.lock, staging/, quarantine/): nothing was read through it or written, and every wanted bundle
 * reports the same reason so the person looking at any of them learns what to remove.
 */
final class RefusedHostPath {
    private RefusedHostPath() {}

    static List<BundleState> all(List<DesiredBundleContent> desired, HostPaths.Refused refused) {
        return desired.stream()
                .sorted(Comparator.comparing(DesiredBundleContent::name))
                .map(d -> {
                    BundleState s = new BundleState();
                    s.setName(d.name());
                    s.setRevision(d.revision());
                    s.setDigest(d.digest());
                    s.setDesiredVersion(d.content().version());
                    s.setPhase(BundlePhase.Failed);
                    s.setReason(refused.reason());
                    s.setMessage(refused.getMessage());
                    s.setSince(Instant.now().toString());
                    s.setUnits(List.of());
                    return s;
                })
                .toList();
    }
}
