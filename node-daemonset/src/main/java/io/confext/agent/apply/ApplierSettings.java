package io.confext.agent.apply;

import io.confext.agent.disk.DiskSettings;
import io.confext.agent.state.StateLayout;
import io.confext.agent.trust.NodeTrustSettings;
import java.time.Duration;

/**
 * How {@link SystemdHostApplier} works on a host: built once from {@code AgentConfig} in {@code AgentBeans}; tests
 * start from {@link #defaults()} and change what they need with the with-ers.
 *
 * @param stateHostDir the agent's directory on the host (versions, staging, quarantine, state, lock), as a host path
 * @param agentVersion reported in the node's host facts
 * @param jobTimeout   longest wait for a systemd job (reload, restart) or a host command (systemd-confext refresh)
 * @param proofTimeout longest wait for a unit's main process to show the wanted version
 * @param lockWait     longest wait for the host lock another agent process holds
 * @param images       downloads and mounts of image bundles
 * @param trust        the platform's signature requirement and the node policy file
 * @param disk         the free-space margin and the cap on stored versions
 */
public record ApplierSettings(
        String stateHostDir,
        String agentVersion,
        Duration jobTimeout,
        Duration proofTimeout,
        Duration lockWait,
        ImageSettings images,
        NodeTrustSettings trust,
        DiskSettings disk) {
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_PROOF_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);

    public ApplierSettings {
        requirePositive("jobTimeout", jobTimeout);
        requirePositive("proofTimeout", proofTimeout);
        requirePositive("lockWait", lockWait);
        if (stateHostDir == null || stateHostDir.isBlank()) {
            throw new IllegalArgumentException("stateHostDir must be a host path, got '" + stateHostDir + "'");
        }
        if (images == null) {
            throw new IllegalArgumentException("images must be set");
        }
        if (trust == null) {
            throw new IllegalArgumentException("trust must be set");
        }
        if (disk == null) {
            throw new IllegalArgumentException("disk must be set");
        }
    }

    /** The agent's own defaults, as {@code application.properties} sets them. */
    public static ApplierSettings defaults() {
        return new ApplierSettings(
                StateLayout.DEFAULT_HOST_DIR,
                "0.1.0",
                DEFAULT_JOB_TIMEOUT,
                DEFAULT_PROOF_TIMEOUT,
                DEFAULT_LOCK_WAIT,
                ImageSettings.defaults(),
                NodeTrustSettings.defaults(),
                DiskSettings.defaults());
    }

    public ApplierSettings withStateHostDir(String dir) {
        return new ApplierSettings(dir, agentVersion, jobTimeout, proofTimeout, lockWait, images, trust, disk);
    }

    public ApplierSettings withAgentVersion(String version) {
        return new ApplierSettings(stateHostDir, version, jobTimeout, proofTimeout, lockWait, images, trust, disk);
    }

    public ApplierSettings withJobTimeout(Duration d) {
        return new ApplierSettings(stateHostDir, agentVersion, d, proofTimeout, lockWait, images, trust, disk);
    }

    public ApplierSettings withProofTimeout(Duration d) {
        return new ApplierSettings(stateHostDir, agentVersion, jobTimeout, d, lockWait, images, trust, disk);
    }

    public ApplierSettings withLockWait(Duration d) {
        return new ApplierSettings(stateHostDir, agentVersion, jobTimeout, proofTimeout, d, images, trust, disk);
    }

    public ApplierSettings withImages(ImageSettings i) {
        return new ApplierSettings(stateHostDir, agentVersion, jobTimeout, proofTimeout, lockWait, i, trust, disk);
    }

    public ApplierSettings withTrust(NodeTrustSettings t) {
        return new ApplierSettings(stateHostDir, agentVersion, jobTimeout, proofTimeout, lockWait, images, t, disk);
    }

    public ApplierSettings withDisk(DiskSettings d) {
        return new ApplierSettings(stateHostDir, agentVersion, jobTimeout, proofTimeout, lockWait, images, trust, d);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
