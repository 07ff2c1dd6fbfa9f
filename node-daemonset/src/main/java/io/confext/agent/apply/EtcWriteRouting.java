package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes sure {@code /var/lib/extensions.mutable/etc} routes a mutable merge's writes to the real /etc (see
 * {@link HostMergePlan}): creates the link when nothing is there, atomically; leaves routing the host set up itself (a
 * directory, or a link elsewhere) as it is, since that is the administrator's choice, and says so in the log.
 */
final class EtcWriteRouting {
    private static final Logger LOG = Logger.getLogger(EtcWriteRouting.class);

    private EtcWriteRouting() {}

    /** @return where writes to the merged /etc go: {@code /etc}, or what the host set up itself */
    static String ensure(HostFiles host) {
        int cut = HostMergePlan.ROUTING_HOST_PATH.lastIndexOf('/');
        Path dir = host.paths().inRoot(HostMergePlan.ROUTING_HOST_PATH.substring(0, cut)); // systemd's, links followed
        Path link = dir.resolve(HostMergePlan.ROUTING_HOST_PATH.substring(cut + 1));
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                if (!target.equals(HostMergePlan.ROUTING_TARGET)
                        && !target.equals(HostMergePlan.ROUTING_TARGET + "/")) {
                    LOG.warnf(
                            "%s points at %s, not %s: the host routes writes to /etc there itself; left as it is",
                            HostMergePlan.ROUTING_HOST_PATH, target, HostMergePlan.ROUTING_TARGET);
                }
                return target;
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warnf(
                        "%s is a directory of the host's: writes to the merged /etc go there and an unmerge hides them;"
                                + " left as it is (replace it with a link to /etc to keep them in /etc)",
                        HostMergePlan.ROUTING_HOST_PATH);
                return HostMergePlan.ROUTING_HOST_PATH;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".etc.tmp-" + UUID.randomUUID());
            Files.createSymbolicLink(tmp, Path.of(HostMergePlan.ROUTING_TARGET));
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
            HostFiles.fsyncDirectory(dir);
            return HostMergePlan.ROUTING_TARGET;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot route writes of the merged /etc to the real /etc (" + HostMergePlan.ROUTING_HOST_PATH
                            + "): " + e.getMessage(),
                    e);
        }
    }
}
