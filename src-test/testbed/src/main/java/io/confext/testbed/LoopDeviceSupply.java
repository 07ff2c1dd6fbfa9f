package io.confext.testbed;

import java.time.Duration;
import java.util.List;

/**
 * Gives a host enough loop devices for image extensions (DESIGN.md "Known obstacle").
 *
 * <p>Loop devices are global to the kernel: the host's systemd asks {@code /dev/loop-control} (bound in by
 * nspawn) for a free number with {@code LOOP_CTL_GET_FREE}, which may create a brand-new device, and then opens
 * {@code /dev/loopN}. The host's /dev is nspawn's private tmpfs without udev, so that node would be missing;
 * binding in the outer machine's current nodes only covers the devices that happen to exist. Instead we
 * create nodes {@code b 7 N} for a whole range of numbers in the host's /dev: opening such a node reaches
 * whatever device the kernel has (or creates) under that number.
 */
final class LoopDeviceSupply {

    /** Far more than concurrent hosts and tests ever hold at once; LOOP_CTL_GET_FREE hands out the lowest free. */
    static final int POOL_SIZE = 512;

    private LoopDeviceSupply() {}

    /** Partitions per loop device reachable in the host (a confext DDI has 3: root, verity, signature). */
    static final int PARTITIONS = 8;
    /** Where nspawn binds the outer machine's devtmpfs (read-only) into the host. */
    static final String OUTER_DEV = "/run/testbed-dev";

    static void populate(long leaderPid) {
        // Loop devices: nodes b 7 N. Their partitions (DDIs) get dynamic device numbers (major 259) the
        // moment systemd adds them, so no node can be made in advance: /dev/loopNpM is a symlink to the
        // outer devtmpfs, where the kernel itself creates the node as the partition appears.
        String script = "set -e; for i in $(seq 0 " + (POOL_SIZE - 1) + "); do "
                + "[ -e /dev/loop$i ] || mknod -m 0660 /dev/loop$i b 7 $i; done; "
                + "chgrp disk /dev/loop[0-9]* 2>/dev/null || true; "
                // thousands of links with a handful of ln processes: `ln -s TARGET... -t DIR` names each after its
                // target
                + "for i in $(seq 0 " + (POOL_SIZE - 1) + "); do for p in $(seq 1 " + PARTITIONS + "); do "
                + "echo " + OUTER_DEV + "/loop${i}p$p; done; done | xargs ln -sfn -t /dev";
        ProcessRunner.runOk(
                List.of("nsenter", "-t", Long.toString(leaderPid), "-m", "-r", "-w", "--", "/bin/sh", "-c", script),
                Duration.ofSeconds(60));
    }
}
