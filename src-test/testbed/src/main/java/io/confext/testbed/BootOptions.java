package io.confext.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tunables of a boot; the timeout can be raised on slow CI machines with -Dconfext.testbed.bootTimeoutSeconds.
 *
 * @param bootTimeout      how long systemd may take to report the system running
 * @param networkNamespace a network namespace made by the caller ({@code /run/netns/NAME}) the host joins instead
 *                         of nspawn's private, unconnected one: a Kubernetes node must reach the API server
 * @param extraArguments   more systemd-nspawn arguments (a kubelet host needs a wider system-call filter)
 */
public record BootOptions(Duration bootTimeout, Optional<Path> networkNamespace, List<String> extraArguments) {

    public BootOptions {
        extraArguments = List.copyOf(extraArguments);
    }

    public static BootOptions defaults() {
        return new BootOptions(
                Duration.ofSeconds(Long.getLong("confext.testbed.bootTimeoutSeconds", 120)),
                Optional.empty(),
                List.of());
    }

    public BootOptions withNetworkNamespace(Path namespace) {
        return new BootOptions(bootTimeout, Optional.of(namespace), extraArguments);
    }

    public BootOptions withExtraArguments(List<String> more) {
        return new BootOptions(bootTimeout, networkNamespace, more);
    }
}
