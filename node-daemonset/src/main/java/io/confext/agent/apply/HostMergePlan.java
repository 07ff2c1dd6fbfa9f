package io.confext.agent.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How host-scope bundles are merged into the host's /etc by {@code systemd-confext refresh} (pure).
 *
 * <p>systemd-confext's default ({@code --mutable=no}) makes the whole merged /etc a read-only overlay: on a
 * Kubernetes node that breaks the kubelet, CNI plugins, {@code useradd} and package hooks. Since systemd 256 the agent
 * merges with {@code --mutable=auto} and routes writes back to the real /etc with the link
 * {@code /var/lib/extensions.mutable/etc -> /etc} (man systemd-sysext, "Mutability"): the real /etc becomes the
 * overlay's upper directory, so what other programs write lands in it and survives a refresh, an unmerge and a reboot.
 * {@code auto} rather than {@code yes}: {@code yes} would create a directory there when the link is missing, and
 * writes would then go to a place that an unmerge hides. What this costs is in docs/api.md ("Host scope").
 *
 * @param writable    whether /etc stays writable while bundles are merged
 * @param refreshArgv the command the agent runs on the host
 */
public record HostMergePlan(boolean writable, List<String> refreshArgv) {
    /** systemd-confext knows {@code --mutable=} since 256. */
    public static final int MUTABLE_SINCE = 256;
    /** systemd-confext's write routing for /etc; a link to /etc sends writes to the real /etc. */
    public static final String ROUTING_HOST_PATH = "/var/lib/extensions.mutable/etc";
    /** Where the routing link points. */
    public static final String ROUTING_TARGET = "/etc";

    public HostMergePlan {
        refreshArgv = List.copyOf(refreshArgv);
    }

    /**
     * @param alwaysRefresh systemd 262 may skip a refresh it thinks unchanged: force it where the host supports it
     * @param imagePolicy   the agent's image policy for host-scope images, when one is set
     */
    public static HostMergePlan of(int systemdVersion, boolean alwaysRefresh, Optional<String> imagePolicy) {
        boolean writable = systemdVersion >= MUTABLE_SINCE;
        List<String> argv = new ArrayList<>(List.of("systemd-confext", "refresh"));
        if (writable) {
            argv.add("--mutable=auto");
        }
        if (alwaysRefresh) {
            argv.add("--always-refresh=yes");
        }
        imagePolicy.ifPresent(p -> argv.add("--image-policy=" + p));
        return new HostMergePlan(writable, argv);
    }
}
