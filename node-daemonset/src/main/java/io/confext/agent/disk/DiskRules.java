package io.confext.agent.disk;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The disk decisions, pure: whether a download or a staged version fits beside the margin, and which stored versions
 * retention evicts to stay under the node's cap. {@link DiskGuard} gathers the sizes and acts on the decisions.
 */
public final class DiskRules {
    /** A file takes at least one block; a directory one more: the estimate of a staged directory version. */
    static final long BLOCK = 4096;

    private DiskRules() {}

    /** Whether to go on writing {@code neededBytes} where {@code usableBytes} are free. */
    public sealed interface Admission {
        record Proceed() implements Admission {}

        /** @param reason always {@link Reason#DiskSpaceLow}; the message says what, how much, where and what to do */
        record Refuse(Reason reason, String message) implements Admission {}
    }

    /**
     * Proceed when writing {@code neededBytes} still leaves {@code minFreeBytes} free.
     *
     * @param what       what would be written, for the message ("the image of demo 2")
     * @param fileSystem the host path whose file system it is, for the message
     */
    public static Admission admit(
            String what, long neededBytes, long usableBytes, long minFreeBytes, String fileSystem) {
        long need = Math.max(0, neededBytes);
        long beyondMargin = Math.max(0, usableBytes - minFreeBytes);
        if (need <= beyondMargin && usableBytes >= minFreeBytes) {
            return new Admission.Proceed();
        }
        return new Admission.Refuse(
                Reason.DiskSpaceLow,
                what + " needs " + mib(need) + ", " + mib(beyondMargin)
                        + " free on the file system of " + fileSystem + " beyond the margin of " + mib(minFreeBytes)
                        + " ("
                        + mib(Math.max(0, usableBytes))
                        + " free in all; chart value agent.disk.minFreeBytes): free space there, or lower"
                        + " agent.disk.maxVersionsBytes so that fewer old versions are kept; the node keeps its current version");
    }

    /**
     * The versions retention deletes so that the stored ones use at most {@code capBytes}: quarantined ones oldest
     * first, then kept ones oldest first; never a protected one (a bundle's active version or rollback target).
     * Stops as soon as the total is under the cap; when even every unprotected one gone is not enough, all of those go.
     */
    public static Eviction evict(List<StoredVersion> stored, long capBytes) {
        long total = stored.stream().mapToLong(StoredVersion::bytes).sum();
        List<StoredVersion> order = new ArrayList<>(
                stored.stream().filter(s -> !s.protectedVersion()).toList());
        order.sort(Comparator.comparing((StoredVersion s) -> s.kind() == StoredVersion.Kind.QUARANTINED ? 0 : 1)
                .thenComparingLong(StoredVersion::age)
                .thenComparing(StoredVersion::bundle)
                .thenComparing(StoredVersion::name));
        List<StoredVersion> out = new ArrayList<>();
        for (StoredVersion s : order) {
            if (total <= capBytes) {
                break;
            }
            out.add(s);
            total -= s.bytes();
        }
        return new Eviction(List.copyOf(out), total, total <= capBytes);
    }

    /**
     * @param evicted   what to delete, in that order
     * @param bytesLeft what the stored versions use after it
     * @param underCap  false: the protected versions alone use more than the cap
     */
    public record Eviction(List<StoredVersion> evicted, long bytesLeft, boolean underCap) {}

    /** The disk estimate of a directory version: each file rounded up to a block, plus a block per directory. */
    public static long directoryBytes(List<Long> fileSizes, int directories) {
        long sum = (long) Math.max(0, directories) * BLOCK;
        for (long size : fileSizes) {
            sum += Math.max(BLOCK, (size + BLOCK - 1) / BLOCK * BLOCK);
        }
        return sum;
    }

    /**
     * The disk estimate of a directory version from its content: its files under /etc (paths relative to it) and its
     * extension-release file, in directories {@code etc/}, {@code etc/extension-release.d/} and the files' parents.
     */
    public static long directoryBytes(Map<String, String> files, String extensionRelease) {
        List<Long> sizes = new ArrayList<>();
        Set<String> dirs = new HashSet<>(List.of("", "etc", "etc/extension-release.d"));
        files.forEach((path, content) -> {
            sizes.add((long) content.getBytes(StandardCharsets.UTF_8).length);
            for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                dirs.add("etc/" + path.substring(0, i));
            }
        });
        sizes.add((long) extensionRelease.getBytes(StandardCharsets.UTF_8).length);
        return directoryBytes(sizes, dirs.size());
    }

    /** The note on a bundle's status when the cap evicted some of its versions. */
    public static String evictionNote(List<StoredVersion> evictedOfBundle, long capBytes) {
        List<String> parts = evictedOfBundle.stream()
                .map(s -> (s.kind() == StoredVersion.Kind.QUARANTINED ? "quarantined " : "kept ") + s.name() + " ("
                        + mib(s.bytes()) + ")")
                .toList();
        return "the node's cap of " + mib(capBytes) + " on stored versions (agent.disk.maxVersionsBytes) evicted "
                + String.join(", ", parts);
    }

    /**
     * A bundle's status after the cap evicted some of its versions: an Active, proven bundle reports
     * {@link Reason#VersionsEvictedByCap} with the note before its message; any other keeps its reason, the note after.
     */
    public static void note(BundleState s, List<StoredVersion> evictedOfBundle, long capBytes) {
        String note = evictionNote(evictedOfBundle, capBytes);
        if (s.getPhase() == BundlePhase.Active && Reason.Proven.name().equals(s.getReason())) {
            s.setReason(Reason.VersionsEvictedByCap.name());
            s.setMessage(note + "; " + s.getMessage());
        } else {
            s.setMessage(s.getMessage() == null || s.getMessage().isEmpty() ? note : s.getMessage() + "; " + note);
        }
    }

    /** Bytes as MiB with one decimal: the unit the chart's defaults are written in. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) DiskSettings.MIB);
    }
}
