package io.confext.agent.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads the node policy from the host's file system (the host root as the agent sees it, {@code /proc/1/root}).
 * Symlinks are resolved inside the host root, as {@code openat2(RESOLVE_IN_ROOT)} does: an absolute link target
 * means the host's path, not the agent container's (which a plain open through {@code /proc/1/root} would follow),
 * and {@code ..} never leaves the root. Hosts whose {@code /etc} is made of links (NixOS) keep working.
 */
public final class NodePolicyFile {
    /** Where the chart's docs tell the platform team to put it. */
    public static final String DEFAULT_HOST_PATH = "/etc/confext-operator/policy.yaml";
    /** Links followed at most, as the kernel's own limit for one path. */
    static final int MAX_LINKS = 40;

    private NodePolicyFile() {}

    /** Never throws: a file that cannot be read or parsed is {@link LoadedNodePolicy.Broken}. */
    public static LoadedNodePolicy read(Path hostRoot, String hostPath) {
        Path file;
        try {
            file = resolveInRoot(hostRoot, hostPath);
        } catch (IOException e) {
            return new LoadedNodePolicy.Broken(hostPath, "cannot resolve it: " + e.getMessage());
        }
        if (file == null || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new LoadedNodePolicy.Absent(hostPath);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new LoadedNodePolicy.Broken(hostPath, "it is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(NodePolicyParser.MAX_BYTES + 1);
        } catch (IOException e) {
            return new LoadedNodePolicy.Broken(hostPath, "cannot read it: " + e.getMessage());
        }
        if (bytes.length > NodePolicyParser.MAX_BYTES) {
            return new LoadedNodePolicy.Broken(hostPath, "it is larger than " + NodePolicyParser.MAX_BYTES + " bytes");
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new LoadedNodePolicy.Present(hostPath, NodePolicyParser.parse(text));
        } catch (CharacterCodingException e) {
            return new LoadedNodePolicy.Broken(hostPath, "it is not UTF-8 text");
        } catch (IllegalArgumentException e) {
            return new LoadedNodePolicy.Broken(hostPath, e.getMessage());
        }
    }

    /**
     * The agent-side path of {@code hostPath} with every symlink resolved inside {@code root}; null when a component
     * before the last does not exist (so the file does not either).
     *
     * @throws IOException on a link loop (more than {@link #MAX_LINKS} links) or an unreadable link
     */
    static Path resolveInRoot(Path root, String hostPath) throws IOException {
        if (!hostPath.startsWith("/")) {
            throw new IOException("'" + hostPath + "' is not an absolute host path");
        }
        Deque<String> todo = new ArrayDeque<>(parts(hostPath));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path here = join(root, done).resolve(part);
            if (Files.isSymbolicLink(here)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("more than " + MAX_LINKS + " symbolic links in " + hostPath);
                }
                String target = Files.readSymbolicLink(here).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = parts(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
                continue;
            }
            if (!todo.isEmpty() && !Files.isDirectory(here, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            done.add(part);
        }
        return join(root, done);
    }

    private static List<String> parts(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                out.add(p);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
