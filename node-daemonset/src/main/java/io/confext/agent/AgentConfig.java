package io.confext.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The agent's settings ({@code confext.agent.*} in {@code application.properties}, overridable by
 * environment variables such as {@code CONFEXT_AGENT_RESYNC_PERIOD}).
 */
@ConfigMapping(prefix = "confext.agent")
public interface AgentConfig {

    /** This node's name: the name of the one ConfextNode the agent watches (env NODE_NAME, downward API). */
    String nodeName();

    /** PID whose namespaces are the host: 1 in production (hostPID pod), a test host's PID 1 in tests. */
    @WithDefault("1")
    int hostPid();

    /** The agent's directory on the host (versions, staging, quarantine, state, lock), as a host path. */
    @WithDefault("/var/lib/confext-operator")
    String stateDir();

    /**
     * Where the agent's Events about its ConfextNode are recorded. The API server accepts a core/v1 Event about a
     * cluster-scoped object only in "default" (as the kubelet's Node events, and the operator's bundle events); the
     * chart grants the agent create and patch on Events in this namespace only.
     */
    @WithDefault("default")
    String eventsNamespace();

    /** How often converge re-runs on the last desired set although nothing changed, to repair a drifted host. */
    @WithDefault("5m")
    Duration resyncPeriod();

    /**
     * How often the agent looks at the units it proved although systemd signalled nothing (a missed signal, a dropped
     * bus connection, which this look re-opens); a signalled change is looked at within about a second anyway.
     */
    @WithDefault("10s")
    Duration unitWatchPeriod();

    /** First retry delay after an API error; doubles per failed attempt up to 32 times this value. */
    @WithDefault("1s")
    Duration retryInitialDelay();

    /** How often the idle work loop proves it is alive and re-checks that host systemd answers. */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** Liveness is DOWN when the work loop has not beaten for this long (a stuck converge, a dead thread). */
    @WithDefault("10m")
    Duration livenessTimeout();

    /** Longest wait for a systemd job (reload, restart) or a host command such as systemd-confext refresh. */
    @WithDefault("90s")
    Duration jobTimeout();

    /** Longest wait for a unit's main process to show the wanted version after its reload or restart. */
    @WithDefault("15s")
    Duration proofTimeout();

    /** Longest wait for the host lock that another agent process (an old pod still stopping) holds. */
    @WithDefault("60s")
    Duration lockWait();

    /**
     * Refuse every image bundle whose image is not signed by a trusted certificate, whatever the bundle says (env
     * CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES, set by the chart and the operator from policy.requireSignedImages).
     */
    @WithDefault("false")
    boolean requireSignedImages();

    /** Host path of the node's own policy (denied paths, scopes, signatures); a missing file means the floor only. */
    @WithDefault("/etc/confext-operator/policy.yaml")
    String nodePolicyFile();

    /**
     * Bytes the agent leaves free on the file system of its state directory (CONFEXT_AGENT_DISK_MIN_FREE_BYTES, chart
     * value agent.disk.minFreeBytes): a download or staged version that would leave less is refused (DiskSpaceLow).
     */
    @WithDefault("134217728")
    long diskMinFreeBytes();

    /**
     * Bytes the kept and quarantined versions of all bundles on the node may use together
     * (CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES, chart value agent.disk.maxVersionsBytes); 0: no cap.
     */
    @WithDefault("4294967296")
    long diskMaxVersionsBytes();
}
