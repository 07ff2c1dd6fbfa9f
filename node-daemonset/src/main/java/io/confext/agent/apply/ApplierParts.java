package io.confext.agent.apply;

import io.confext.agent.disk.DiskGuard;
import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.state.StateLayout;
import io.confext.agent.state.StateStore;

/**
 * What lives as long as the applier and every converge pass uses: the host, its state directory and journal store,
 * and the memories kept across passes (refused images, quarantine, verified manifests).
 *
 * @param refusedImages refused images are not fetched again on every resync
 * @param nodeChecks    the node policy, the signature requirement and the re-check of kept images (io.confext.agent.trust)
 * @param healthChecks  the bundles' own health checks (spec.healthChecks), judged in {@link UnitHealthReview#unitHealth}
 * @param verified      the manifests of proven versions: what a start without the API restores from (see {@link LocalRestore})
 * @param steps         told of every step boundary (the crash tests stop the agent there)
 * @param disk          the free-space margin before writes and the cap on stored versions after each pass
 *                      (io.confext.agent.disk)
 * @param metrics       told of activations, verifications, drift repairs, failures and the versions kept (docs/metrics.md)
 * @param bootClock     the host's boot clock: a recorded phase's start, from which the health window is timed
 */
record ApplierParts(
        long hostPid,
        HostFiles host,
        StateLayout layout,
        StateStore store,
        ApplierSettings settings,
        StepObserver steps,
        RefusedImages refusedImages,
        Quarantine quarantine,
        NodeChecks nodeChecks,
        HealthChecks healthChecks,
        VerifiedManifests verified,
        StopGuard stop,
        DiskGuard disk,
        AgentMetrics metrics,
        BootClock bootClock) {}
