package io.confext.agent.apply;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A version as a unit can see it when bundles of higher priority on the same unit (or, for host scope, in the host's
 * stack) overlay some of its files: the proof then expects only the files nobody overlays (its extension-release file is its own and always checked).
 */
record ShadowedVersion(StagedVersion inner, Set<String> shadowed) implements StagedVersion {
    static StagedVersion of(StagedVersion v, Set<String> shadowed) {
        return v == null || shadowed.isEmpty() ? v : new ShadowedVersion(v, Set.copyOf(shadowed));
    }

    @Override
    public String bundle() {
        return inner.bundle();
    }

    @Override
    public String version() {
        return inner.version();
    }

    @Override
    public String extensionName() {
        return inner.extensionName();
    }

    @Override
    public String entryName() {
        return inner.entryName();
    }

    @Override
    public void writeTo(Path target) {
        inner.writeTo(target);
    }

    @Override
    public String extensionRelease() {
        return inner.extensionRelease();
    }

    @Override
    public Map<String, String> expectedFiles() {
        Map<String, String> m = new LinkedHashMap<>(inner.expectedFiles());
        m.keySet().removeAll(shadowed);
        return m;
    }
}
