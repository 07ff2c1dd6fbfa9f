package io.confext.agent.apply;

import io.confext.api.version.UapiVersion;
import java.util.ArrayList;
import java.util.List;

/** Keeps the newest few proven versions of a bundle for instant local rollback; the rest may be deleted. */
public final class VersionRetention {
    public static final int KEEP = 3;

    private VersionRetention() {}

    /** Newest first, at most {@link #KEEP}, always including {@code current}. */
    public static List<String> keep(List<String> good, String current) {
        List<String> all = new ArrayList<>(good);
        if (!all.contains(current)) {
            all.add(current);
        }
        all.sort(UapiVersion.ORDER.reversed());
        return List.copyOf(all.subList(0, Math.min(KEEP, all.size())));
    }

    /** Entries of the versioned directory not kept. */
    public static List<String> drop(List<String> present, List<String> kept) {
        return present.stream().filter(v -> !kept.contains(v)).toList();
    }
}
