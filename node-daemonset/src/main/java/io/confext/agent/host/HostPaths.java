package io.confext.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Host paths resolved the way the host would resolve them, without trusting links the agent did not create.
 *
 * <p>The agent reaches the host through {@code /proc/<pid>/root}; the kernel resolves an absolute symbolic link met
 * on that path against the AGENT's root, not the host's. So links are never left to the kernel here:
 * <ul>
 * <li>in the part of a path the host owns ({@code /etc}, {@code /var/lib}, ...; on NixOS {@code /etc} is made of
 * links) a link is followed by hand with {@code RESOLVE_IN_ROOT} semantics: an absolute target starts again at the
 * host's root, {@code ..} stops there;</li>
 * <li>in the part the agent owns (its state directory, a bundle's {@code .v/}, a unit's drop-in directory) a link
 * is refused with {@link Refused}: the agent writes and trusts only what it created.</li>
 * </ul>
 * The walk is pure over {@link Links}, so its rules are unit-tested without a host. What it checks is the path as it
 * is now; the agent-owned directories are root's alone, so changing them between check and use takes root on the
 * host already, while a link left there (by a bundle's content, a tool or a person) is caught before any write.
 */
public final class HostPaths {
    /** Links followed in one resolution before it is refused as a loop: the kernel's own limit (MAXSYMLINKS). */
    static final int MAX_LINKS = 40;

    public static final String SYMLINK = io.confext.api.status.Reason.HostPathSymlink.name();
    public static final String LINK_LOOP = io.confext.api.status.Reason.HostPathLinkLoop.name();
    public static final String NOT_NORMAL = io.confext.api.status.Reason.HostPathNotNormal.name();

    /** What the walk needs from a file system: whether a path is a symbolic link, and to what. */
    public interface Links {
        /** The link's target when {@code p} is a symbolic link; empty when it is anything else or is missing. */
        Optional<String> target(Path p);

        /** The real file system, never following the last component. */
        Links REAL = p -> {
            if (!Files.isSymbolicLink(p)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readSymbolicLink(p).toString());
            } catch (NotLinkException | NoSuchFileException e) {
                return Optional.empty(); // replaced or gone since: a later check sees what is there then
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the link " + p + ": " + e.getMessage(), e);
            }
        };
    }

    /** A host path that may not be used as it is: why, in words a person can act on. Nothing was written. */
    public static final class Refused extends RuntimeException {
        private final String reason;

        public Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final Path root;
    private final Links links;
    /** The kernel's second opinion on the real file system; empty for test file systems and where it is missing. */
    private final Optional<Openat2> kernel;

    public HostPaths(Path root) {
        this(root, Links.REAL, Openat2.load());
    }

    public HostPaths(Path root, Links links) {
        this(root, links, Optional.empty());
    }

    private HostPaths(Path root, Links links, Optional<Openat2> kernel) {
        this.root = root;
        this.links = links;
        this.kernel = kernel;
    }

    /**
     * A host-owned path (e.g. {@code /etc/verity.d}) as the agent opens it: links on it followed inside the host's root.
     * The last component is resolved too, so a file that is a link (NixOS) is read where the host would read it.
     */
    public Path inRoot(String hostPath) {
        return root.resolve(String.join("/", resolveInRoot(hostPath, hostPath)));
    }

    /**
     * An agent-owned path below a host-owned directory: {@code hostOwned} (e.g. {@code /etc/systemd/system}) is resolved
     * inside the host's root, then no component of {@code agentOwned} (e.g. {@code demo.service.d/50-x.conf}) may be a
     * link, nor {@code .} or {@code ..}. Components that do not exist yet are fine: the agent creates them.
     *
     * @throws Refused naming the link, its target and what to do
     */
    public Path agentOwned(String hostOwned, String agentOwned) {
        String full = hostOwned.endsWith("/") ? hostOwned + agentOwned : hostOwned + "/" + agentOwned;
        List<String> resolved = resolveInRoot(hostOwned, full);
        Path base = root.resolve(String.join("/", resolved));
        StringBuilder shown =
                new StringBuilder(hostOwned.endsWith("/") ? hostOwned.substring(0, hostOwned.length() - 1) : hostOwned);
        for (String c : components(agentOwned)) {
            shown.append('/').append(c);
            if (c.equals(".") || c.equals("..")) {
                throw new Refused(
                        NOT_NORMAL,
                        full + " is not a normal path ('" + c + "' in it); the agent only writes"
                                + " below its own directories");
            }
            resolved.add(c);
            Path p = root.resolve(String.join("/", resolved));
            Optional<String> target = links.target(p);
            if (target.isPresent()) {
                throw new Refused(
                        SYMLINK,
                        shown + " on the host is a symbolic link to " + target.get()
                                + "; the agent does not follow links it did not create: remove it (the agent creates a real"
                                + " directory or file there on its next pass)");
            }
        }
        String rest = String.join("/", components(agentOwned));
        if (kernel.flatMap(k -> k.linkBeneath(base, rest)).orElse(false)) {
            // the walk found none, the kernel's single resolution did: one was swapped in meanwhile
            throw new Refused(
                    SYMLINK,
                    full + " on the host has a symbolic link on it (it appeared while the agent"
                            + " checked it); the agent does not follow links it did not create: find it and remove it");
        }
        return root.resolve(String.join("/", resolved));
    }

    /** The path's components from the host's root after following every link in it inside that root. */
    private List<String> resolveInRoot(String hostPath, String shownAs) {
        if (!hostPath.startsWith("/")) {
            throw new IllegalArgumentException("host path must be absolute: " + hostPath);
        }
        Deque<String> todo = new ArrayDeque<>(components(hostPath));
        List<String> done = new ArrayList<>();
        int followed = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1); // and never above the host's root
                }
                continue;
            }
            done.add(c);
            Optional<String> target = links.target(root.resolve(String.join("/", done)));
            if (target.isEmpty()) {
                continue;
            }
            if (++followed > MAX_LINKS) {
                throw new Refused(
                        LINK_LOOP,
                        shownAs + " on the host goes through more than " + MAX_LINKS
                                + " symbolic links (a loop?): fix the links on its way");
            }
            done.remove(done.size() - 1);
            if (target.get().startsWith("/")) {
                done.clear(); // RESOLVE_IN_ROOT: an absolute link starts again at the host's root, not the agent's
            }
            List<String> t = components(target.get());
            for (int i = t.size() - 1; i >= 0; i--) {
                todo.addFirst(t.get(i));
            }
        }
        return done;
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * For a directory entry the agent owns, under a parent already checked: refused when it is a symbolic link.
     * Missing is fine (the agent creates it).
     */
    public static void refuseLink(Path agentPath) {
        refuseLink(agentPath, Links.REAL);
    }

    static void refuseLink(Path agentPath, Links links) {
        Optional<String> target = links.target(agentPath);
        if (target.isPresent()) {
            throw new Refused(
                    SYMLINK,
                    hostView(agentPath) + " on the host is a symbolic link to " + target.get()
                            + "; the agent does not follow links it did not create: remove it");
        }
    }

    /** {@code /proc/<pid>/root/var/lib/x} as the host names it, {@code /var/lib/x}; any other path as it is. */
    static String hostView(Path agentPath) {
        String s = agentPath.toString();
        var m = java.util.regex.Pattern.compile("^/proc/[0-9]+/root(/.*)?$").matcher(s);
        if (m.matches()) {
            return m.group(1) == null ? "/" : m.group(1);
        }
        return s;
    }
}
