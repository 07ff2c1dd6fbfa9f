package io.confext.agent.healthcheck;

import io.confext.api.revision.ResolvedHealthCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: the part of the checks' tallies an agent restart must not lose, and how a restarted agent starts from it.
 * Only failures in a row are kept, capped at the check's failureThreshold (a check that goes on failing changes
 * nothing more to keep, so the file is not rewritten every period), with the last run's words for the message.
 *
 * @param bundles per bundle: the revision digest the counts are for, and each check's kept count
 */
public record KeptCounts(Map<String, Bundle> bundles) {
    public static final KeptCounts NONE = new KeptCounts(Map.of());

    public KeptCounts {
        bundles = bundles == null ? Map.of() : Map.copyOf(bundles);
    }

    /** One bundle's counts, for one revision. */
    public record Bundle(String digest, Map<String, Count> checks) {
        public Bundle {
            checks = checks == null ? Map.of() : Map.copyOf(checks);
        }
    }

    /** Failed runs in a row (at most failureThreshold) and how the last one ended. */
    public record Count(int failuresInARow, String lastDetail) {}

    /**
     * Whether the counts differ from {@code other}'s (the last run's words aside, which change with every failing run):
     * only then is the file written.
     */
    public boolean countsDiffer(KeptCounts other) {
        return !countsOnly().equals(other.countsOnly());
    }

    private Map<String, Map<String, Integer>> countsOnly() {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        bundles.forEach((name, b) -> {
            Map<String, Integer> c = new LinkedHashMap<>();
            b.checks().forEach((check, n) -> c.put(check, n.failuresInARow()));
            m.put(name + "\u0000" + b.digest(), c);
        });
        return m;
    }

    /** What to keep of one bundle's tallies: the checks failing now; null when none is. */
    static Bundle keep(String digest, List<ResolvedHealthCheck> checks, Map<String, CheckTally> tallies) {
        Map<String, Count> kept = new LinkedHashMap<>();
        for (ResolvedHealthCheck c : checks) {
            CheckTally t = tallies.get(c.name());
            if (t != null && t.failuresInARow() > 0) {
                kept.put(c.name(), new Count(Math.min(t.failuresInARow(), c.failureThreshold()), t.lastDetail()));
            }
        }
        return kept.isEmpty() ? null : new Bundle(digest, kept);
    }

    /**
     * A restarted agent's tallies for a bundle it tracks again: the kept counts when they are for the same revision
     * (and of checks it still has), else from zero. Not yet run in this process (lastRun null): each check runs at once.
     */
    static Map<String, CheckTally> restore(Bundle kept, String digest, List<ResolvedHealthCheck> checks) {
        Map<String, CheckTally> tallies = new LinkedHashMap<>();
        if (kept == null || !kept.digest().equals(digest)) {
            return tallies;
        }
        for (ResolvedHealthCheck c : checks) {
            Count n = kept.checks().get(c.name());
            if (n != null && n.failuresInARow() > 0) {
                tallies.put(c.name(), new CheckTally(n.failuresInARow(), n.lastDetail(), null));
            }
        }
        return tallies;
    }
}
