package io.confext.agent.verify;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The depth-first walk of an image's tree that {@link ErofsReader} and {@link SquashfsReader} share, with the caps that
 * keep a hostile tree inside the agent's heap ({@link ErofsReader.Limits}): depth, path length, all paths' length,
 * entries; a directory reached twice is a loop (damage). Each file system only lists a directory and reads an entry.
 */
final class TreeWalk {

    /** What a file system gives the walk. */
    interface Tree {
        /** The file system's name in messages ("EROFS", "squashfs"). */
        String label();

        /** Whether directories list "." and ".." (erofs does, squashfs makes them up and never stores them). */
        boolean listsDots();

        /** The entries of {@code dir}, at most {@code budget} of them (else CONTENT_TOO_LARGE naming {@code maxEntries}). */
        List<Child> list(TreeEntry dir, int budget, int maxEntries) throws IOException, ImageFormatException;

        /** The entry at {@code path}, for the reference its directory gave. */
        TreeEntry entry(String path, long ref) throws IOException, ImageFormatException;
    }

    /** One name in a directory and the file system's reference to its inode. */
    record Child(String name, long ref) {}

    private TreeWalk() {}

    static List<TreeEntry> walk(Tree tree, TreeEntry root, int maxEntries, ErofsReader.Limits limits)
            throws IOException, ImageFormatException {
        String fs = tree.label();
        List<TreeEntry> out = new ArrayList<>();
        long pathChars = 0;
        Set<Long> seenDirs = new HashSet<>();
        Deque<TreeEntry> dirs = new ArrayDeque<>();
        dirs.push(root);
        while (!dirs.isEmpty()) {
            TreeEntry dir = dirs.pop();
            if (!seenDirs.add(dir.nid())) {
                throw corrupt(fs + " directory loop at " + abbreviate(dir.path()));
            }
            int depth = dir.path().isEmpty()
                    ? 0
                    : (int) dir.path().chars().filter(c -> c == '/').count() + 1;
            if (depth >= limits.maxDepth()) {
                throw new ImageFormatException(
                        ReasonCode.CONTENT_TOO_LARGE,
                        fs + " directory " + abbreviate(dir.path()) + " is nested deeper than " + limits.maxDepth()
                                + " levels");
            }
            int dots = tree.listsDots() ? 2 : 0;
            int budget = (int) Math.min(Integer.MAX_VALUE, (long) maxEntries - out.size() + dots);
            for (Child c : tree.list(dir, budget, maxEntries)) {
                boolean dot = c.name().equals(".") || c.name().equals("..");
                if (dot && tree.listsDots()) {
                    continue;
                }
                if (dot || c.name().isEmpty() || c.name().contains("/")) {
                    throw corrupt(fs + " directory " + abbreviate(dir.path()) + " holds an invalid name '"
                            + abbreviate(c.name()) + "'");
                }
                long pathLength = dir.path().isEmpty()
                        ? c.name().length()
                        : dir.path().length() + 1L + c.name().length();
                if (pathLength > limits.maxPathChars()) {
                    throw new ImageFormatException(
                            ReasonCode.CONTENT_TOO_LARGE,
                            fs + " path " + abbreviate(dir.path() + "/" + c.name()) + " is longer than "
                                    + limits.maxPathChars() + " characters");
                }
                pathChars += pathLength;
                if (pathChars > limits.maxTotalPathChars()) {
                    throw new ImageFormatException(
                            ReasonCode.CONTENT_TOO_LARGE,
                            "the image's paths add up to more than " + limits.maxTotalPathChars() + " characters");
                }
                String path = dir.path().isEmpty() ? c.name() : dir.path() + "/" + c.name();
                TreeEntry e = tree.entry(path, c.ref());
                out.add(e);
                if (out.size() > maxEntries) {
                    throw new ImageFormatException(
                            ReasonCode.CONTENT_TOO_LARGE, "the image holds more than " + maxEntries + " entries");
                }
                if (e.isDirectory()) {
                    dirs.push(e);
                }
            }
        }
        return out;
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static ImageFormatException corrupt(String m) {
        return new ImageFormatException(ReasonCode.FILE_SYSTEM_CORRUPT, m);
    }
}
