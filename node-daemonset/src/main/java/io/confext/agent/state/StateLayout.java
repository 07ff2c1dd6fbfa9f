package io.confext.agent.state;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import java.nio.file.Path;

/**
 * Where the agent keeps things on the host. {@code hostDir} is the path as the host sees it (it ends up in unit
 * drop-ins); {@link #agentPath(String)} is the same path as the agent opens it (through {@code /proc/<pid>/root}).
 * staging/, bundles/ and quarantine/ share one file system so that every move between them is an atomic rename.
 *
 * <p>The state directory and, in {@link #HOST_CONFEXT_DIR}, a bundle's {@code .v/} are the agent's own: no component
 * of them may be a symbolic link (checked at every call, {@link HostPaths.Refused} otherwise), while the host's
 * directories above them are resolved inside the host's root. The one link the agent makes itself is
 * {@code /var/lib/confexts/<bundle>.raw} (see {@code UnitAttacher#linkHostImage}), which it replaces by rename
 * and never writes through.
 */
public record StateLayout(HostFiles host, String hostDir) {
    public static final String DEFAULT_HOST_DIR = "/var/lib/confext-operator";
    /** systemd-confext's search path entry for host-scope bundles (man systemd-sysext). */
    public static final String HOST_CONFEXT_DIR = "/var/lib/confexts";

    public StateLayout {
        if (!hostDir.startsWith("/") || hostDir.endsWith("/")) {
            throw new IllegalArgumentException("state directory must be absolute without a trailing slash: " + hostDir);
        }
    }

    /**
     * A path under the state directory or under {@link #HOST_CONFEXT_DIR} as the agent opens it, refused when a link
     * is on its agent-owned part; any other host path is mapped as it is.
     */
    public Path agentPath(String hostPath) {
        HostPaths paths = host.paths();
        for (String own : new String[] {hostDir, HOST_CONFEXT_DIR}) {
            if (hostPath.equals(own) || hostPath.startsWith(own + "/")) {
                int cut = own.lastIndexOf('/');
                String above = cut == 0 ? "/" : own.substring(0, cut);
                String rest = hostPath.substring(cut + 1);
                if (own.equals(
                        HOST_CONFEXT_DIR)) { // /var/lib/confexts is systemd's directory: only our names in it are ours
                    above = own;
                    rest = hostPath.length() > own.length() ? hostPath.substring(own.length() + 1) : "";
                    if (!rest.contains("/") && rest.endsWith(".raw")) {
                        return paths.agentOwned(above, "").resolve(rest); // the agent's own link (see above)
                    }
                }
                return paths.agentOwned(above, rest);
            }
        }
        return host.resolve(hostPath);
    }

    public Path stateFile() {
        return agentPath(hostDir + "/state.json");
    }

    /** The health checks' failure counts (io.confext.agent.healthcheck.KeptCountsFile). */
    public Path healthCheckCounts() {
        return agentPath(hostDir + "/health-checks.json");
    }

    public Path lockFile() {
        return agentPath(hostDir + "/agent.lock");
    }

    public Path staging() {
        return agentPath(hostDir + "/staging");
    }

    /** The manifests of proven versions (their files' digests), for a start without the API and for drift. */
    public Path verified() {
        return agentPath(hostDir + "/verified");
    }

    /**
     * Host-scope {@code .v/} directories taken out of systemd-confext's search path by a rename, kept until a refresh
     * has taken their layers out of the host's /etc (deleting them before would empty a layer that is still merged).
     */
    public Path retired() {
        return agentPath(hostDir + "/retired");
    }

    public Path quarantine() {
        return agentPath(hostDir + "/quarantine");
    }

    /** Host path of a bundle's versioned directory, with the trailing slash systemd needs to see a ".v/". */
    public String serviceVersionsHostPath(String bundle) {
        return hostDir + "/bundles/" + bundle + ".v/";
    }

    /** @param name the host extension name (a host-scope directory bundle's carries its priority) */
    public String hostVersionsHostPath(String name) {
        return HOST_CONFEXT_DIR + "/" + name + ".v/";
    }
}
