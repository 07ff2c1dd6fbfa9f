package io.confext.agent.systemd;

import java.util.List;
import java.util.Optional;

/**
 * A unit's state as systemd reports it over D-Bus.
 *
 * @param refreshOnReload the Service property {@code RefreshOnReload} (systemd >= 258; on 262 a unit with a
 *                        vpick {@code .v/} extension and no setting reports {@code [extensions]});
 *                        empty when the host's systemd does not have the property at all (257 and older)
 */
public record UnitProperties(String name, String activeState, String subState, long mainPid, String type,
                             List<String> extensionDirectories, List<String> extensionImages,
                             Optional<List<String>> refreshOnReload) {
    public UnitProperties {
        extensionDirectories = List.copyOf(extensionDirectories);
        extensionImages = List.copyOf(extensionImages);
        refreshOnReload = refreshOnReload.map(List::copyOf);
    }

    public boolean active() {
        return "active".equals(activeState) || "reloading".equals(activeState) || "refreshing".equals(activeState);
    }

    /** Whether {@code systemctl reload} re-picks this unit's versioned extension directories first. */
    public boolean refreshesExtensionsOnReload() {
        return refreshOnReload.map(l -> l.contains("extensions")).orElse(false);
    }
}
