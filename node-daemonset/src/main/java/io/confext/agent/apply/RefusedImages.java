package io.confext.agent.apply;

import io.confext.agent.verify.Policy;
import io.confext.api.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers images this agent refused, so that the periodic resync does not download the same refused image again
 * and again (a fleet of nodes re-fetching a bad 1 GiB image every few minutes is an attack on the image server).
 * <p>
 * The verdict is a function of the image's bytes (pinned by sha256), its sidecars, and the {@link Policy} (trust,
 * host facts, architecture, downgrade inputs). The key holds all of those that the agent knows up front, so a
 * changed trust, host or revision is checked afresh at once. Only the sidecars of a naked image are not pinned;
 * the memory therefore expires ({@link #DEFAULT_HOLD}), after which the image is fetched and checked once more.
 * Transient download failures (connection, TLS, truncated, stalled, HTTP errors, no room on the disk) are not remembered: the next pass
 * retries them. In memory only: a restarted agent checks each refused image once more.
 */
final class RefusedImages {
    /** How long a refusal stands before the image is fetched and checked again. */
    static final Duration DEFAULT_HOLD = Duration.ofHours(1);
    /** Bundles x versions on one node are few; the bound only keeps a misbehaving fleet from growing the map. */
    private static final int MAX_ENTRIES = 64;
    /** Refusals that depend on something other than the key: a later attempt may well succeed. */
    private static final Set<Reason> TRANSIENT = EnumSet.of(
            Reason.DownloadHttpError,
            Reason.DownloadTlsFailure,
            Reason.DownloadConnectFailed,
            Reason.DownloadTruncated,
            Reason.DownloadStalled,
            Reason.DownloadNotFound,
            Reason.DownloadStagingFailed,
            Reason.TrustUnavailable,
            Reason.DiskSpaceLow);

    /** What the verdict depends on; the revision digest covers the source's limits and the bundle's trust. */
    record Key(String bundle, String version, String revisionDigest, String url, String sha256, Policy policy) {}

    /** A refusal and when it stops counting. */
    record Remembered(ImageStager.Result.Refused refusal, Instant refusedAt, Instant retryAt) {}

    private final Duration hold;
    private final Map<Key, Remembered> refused = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Remembered> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    RefusedImages(Duration hold) {
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold must not be negative: " + hold);
        }
        this.hold = hold;
    }

    /** The standing refusal for exactly these inputs, if there is one. */
    synchronized Optional<Remembered> recall(Key key, Instant now) {
        Remembered r = refused.get(key);
        if (r == null) {
            return Optional.empty();
        }
        if (!now.isBefore(r.retryAt())) {
            refused.remove(key);
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** Records a refusal unless it is one a retry may cure; returns what now stands, if anything. */
    synchronized Optional<Remembered> remember(Key key, ImageStager.Result.Refused refusal, Instant now) {
        if (isTransient(refusal.reason())) {
            refused.remove(key);
            return Optional.empty();
        }
        Remembered r = new Remembered(refusal, now, now.plus(hold));
        refused.put(key, r);
        return Optional.of(r);
    }

    /** Forgets every refusal of a bundle (the bundle was removed from the node). */
    synchronized void forget(String bundle) {
        refused.keySet().removeIf(k -> k.bundle().equals(bundle));
    }

    static boolean isTransient(String reason) {
        return Reason.of(reason).map(TRANSIENT::contains).orElse(false);
    }
}
