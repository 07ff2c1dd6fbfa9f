package io.confext.agent.disk;

/**
 * How much of the node's disk the agent may use (chart values {@code agent.disk.*}).
 *
 * @param minFreeBytes     the margin the agent leaves free on the file system of its state directory: a download or
 *                         a staged version that would leave less is refused ({@code DiskSpaceLow}), so the agent never
 *                         fills the /var that kubelet and the node's services share with it
 * @param maxVersionsBytes what the kept and quarantined versions of every bundle on the node may use together; beyond
 *                         it retention evicts quarantined versions, then kept ones, oldest first, never a bundle's
 *                         active version or its rollback target. 0: no cap (the per-bundle counts still apply)
 */
public record DiskSettings(long minFreeBytes, long maxVersionsBytes) {
    public static final long MIB = 1L << 20;
    public static final long DEFAULT_MIN_FREE_BYTES = 128 * MIB;
    public static final long DEFAULT_MAX_VERSIONS_BYTES = 4L << 30;

    public DiskSettings {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("agent.disk.minFreeBytes must be 0 or more bytes, got " + minFreeBytes);
        }
        if (maxVersionsBytes < 0) {
            throw new IllegalArgumentException(
                    "agent.disk.maxVersionsBytes must be 0 (no cap) or more bytes, got " + maxVersionsBytes);
        }
    }

    public static DiskSettings defaults() {
        return new DiskSettings(DEFAULT_MIN_FREE_BYTES, DEFAULT_MAX_VERSIONS_BYTES);
    }

    public boolean capped() {
        return maxVersionsBytes > 0;
    }
}
