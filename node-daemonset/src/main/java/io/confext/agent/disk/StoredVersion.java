package io.confext.agent.disk;

/**
 * One version on the node's disk, as retention under the cap sees it.
 *
 * @param bundle    the bundle it belongs to
 * @param name      its entry ({@code <bundle>_<version>[.raw]} in {@code .v/}) or its quarantine directory's name
 * @param kind      kept in {@code .v/} or quarantined
 * @param protectedVersion the bundle's active version or its rollback target: never evicted
 * @param bytes     what it uses on disk, its sidecars included
 * @param age       when it got there (milliseconds since the epoch): the smallest is the oldest
 */
public record StoredVersion(String bundle, String name, Kind kind, boolean protectedVersion, long bytes, long age) {
    public enum Kind {
        KEPT,
        QUARANTINED
    }

    public StoredVersion {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}
