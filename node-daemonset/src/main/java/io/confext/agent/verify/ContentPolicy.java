package io.confext.agent.verify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a confext may contain (DESIGN.md "Verification"): only directories, regular files and
 * symlinks, all under {@code etc/}; no setuid/setgid bits; no device nodes, FIFOs or sockets;
 * symlinks whose target, resolved lexically from the link's place, stays inside {@code /etc}; no
 * {@code os-release} file (systemd forbids it in extensions); and a cap on the total file size.
 * Pure: works on the listed tree, reports every violation.
 */
public final class ContentPolicy {
    /** At most this many violations of one kind are spelled out; the rest are counted. */
    private static final int DETAIL_LIMIT = 5;

    public List<Reason> check(List<TreeEntry> tree, long maxTotalBytes) {
        Collector c = new Collector();
        long total = 0;
        for (TreeEntry e : tree) {
            String p = "/" + e.path();
            if (!e.path().equals("etc") && !e.path().startsWith("etc/")) {
                c.add(ReasonCode.CONTENT_OUTSIDE_ETC, p + " is outside /etc; a confext may only carry /etc");
            }
            if ((e.mode() & (TreeEntry.S_ISUID | TreeEntry.S_ISGID)) != 0 && !e.isDirectory()) {
                c.add(
                        ReasonCode.CONTENT_SETUID,
                        p + " has the " + ((e.mode() & TreeEntry.S_ISUID) != 0 ? "setuid" : "setgid") + " bit (mode "
                                + Integer.toOctalString(e.mode() & 07777) + ")");
            }
            switch (e.type()) {
                case TreeEntry.S_IFCHR, TreeEntry.S_IFBLK ->
                    c.add(
                            ReasonCode.CONTENT_DEVICE_NODE,
                            p + " is a " + (e.type() == TreeEntry.S_IFCHR ? "character" : "block") + " device node");
                case TreeEntry.S_IFIFO -> c.add(ReasonCode.CONTENT_FIFO, p + " is a FIFO");
                case TreeEntry.S_IFSOCK -> c.add(ReasonCode.CONTENT_SOCKET, p + " is a socket");
                case TreeEntry.S_IFLNK -> {
                    if (!staysInEtc(e.path(), e.symlinkTarget())) {
                        c.add(ReasonCode.CONTENT_SYMLINK_ESCAPES, p + " -> " + e.symlinkTarget() + " leaves /etc");
                    }
                }
                // Saturating: an erofs inode may claim up to 2^63 - 1 bytes, and two such sizes wrapped to a negative
                // total.
                case TreeEntry.S_IFREG -> total = e.size() > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + e.size();
                case TreeEntry.S_IFDIR -> {}
                default ->
                    c.add(
                            ReasonCode.CONTENT_DEVICE_NODE,
                            p + " has unknown file type " + Integer.toOctalString(e.type()));
            }
            if (e.name().equals("os-release")) {
                c.add(
                        ReasonCode.CONTENT_OS_RELEASE,
                        p + " is an os-release file; extensions must not carry one (systemd refuses them)");
            }
        }
        if (total > maxTotalBytes) {
            c.add(
                    ReasonCode.CONTENT_TOO_LARGE,
                    "the files add up to " + total + " bytes, above the limit of " + maxTotalBytes);
        }
        return c.reasons();
    }

    /** Lexical resolution, as the kernel would walk it inside the merged /etc; a target through another symlink is checked at that link. */
    static boolean staysInEtc(String linkPath, String target) {
        if (target == null || target.isEmpty()) {
            return false;
        }
        Deque<String> parts = new ArrayDeque<>();
        if (!target.startsWith("/")) {
            String[] here = linkPath.split("/");
            for (int i = 0; i < here.length - 1; i++) {
                parts.addLast(here[i]);
            }
        }
        for (String s : target.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return false;
                }
                parts.removeLast();
            } else {
                parts.addLast(s);
            }
        }
        return !parts.isEmpty() && parts.peekFirst().equals("etc");
    }

    private static final class Collector {
        private final List<Reason> out = new ArrayList<>();
        private final java.util.Map<ReasonCode, Integer> counts = new java.util.EnumMap<>(ReasonCode.class);

        void add(ReasonCode code, String message) {
            int n = counts.merge(code, 1, Integer::sum);
            if (n <= DETAIL_LIMIT) {
                out.add(new Reason(code, message));
            }
        }

        List<Reason> reasons() {
            counts.forEach((code, n) -> {
                if (n > DETAIL_LIMIT) {
                    out.add(new Reason(code, (n - DETAIL_LIMIT) + " more entries like the above"));
                }
            });
            return out;
        }
    }
}
