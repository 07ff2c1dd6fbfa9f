package io.confext.agent.systemd;

import java.util.List;
import java.util.Optional;

/**
 * A unit's state as systemd reports it over D-Bus.
 *
 * @param refreshOnReload the Service property {@code RefreshOnReload} (systemd >= 258; on 262 a unit with a
 *                        vpick {@code .v/} extension and no setting reports {@code [extensions]});
 *                        empty when the host's systemd does not have the property at all (257 and older)
 * @param lastRun         the service's last main process run ({@code Result}, {@code ExecMainStatus},
 *                        {@code ExecMainStartTimestamp}): the only proof left for a {@code Type=oneshot} unit after it ran
 */
public record UnitProperties(
        String name,
        String activeState,
        String subState,
        long mainPid,
        String type,
        List<String> extensionDirectories,
        List<String> extensionImages,
        Optional<List<String>> refreshOnReload,
        LastRun lastRun) {
    /**
     * @param result          the service's {@code Result}: "success", "exit-code", "signal", ... ("" when not a service)
     * @param status          {@code ExecMainStatus}: the exit status (or signal) of the last main process
     * @param startedUsec     {@code ExecMainStartTimestamp}: when it started, microseconds since the epoch (0: never)
     */
    public record LastRun(String result, int status, long startedUsec) {
        public static final LastRun NONE = new LastRun("", 0, 0);
    }

    /** Whether the unit is {@code Type=oneshot}: no main process is left to look into after it ran. */
    public boolean oneshot() {
        return "oneshot".equals(type);
    }

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
