package io.confext.agent.apply;

import io.confext.api.revision.ResolvedFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one version's entry in a {@code .v/} directory holds, as plain values: per path relative to the entry (a
 * directory version: {@code etc/...}; an image: its file name), {@code sha256:<hex> <mode>} for a regular file,
 * {@code link <target>} for a symbolic link, {@code other} for anything else. The expected manifest comes from the
 * verified revision content; the observed one is read from the host ({@link EntryScanner}); drift is the difference.
 * Pure: the comparison never touches the host.
 *
 * @param entries by path, sorted
 */
public record ContentManifest(Map<String, String> entries) {
    /** Images are compared by their bytes only: systemd mounts them read-only whatever their mode. */
    public static final String NO_MODE = "-";

    public ContentManifest {
        entries = Map.copyOf(new TreeMap<>(entries));
    }

    /** The entry a directory version writes ({@link DirectoryVersion#writeTo}): its files and its extension-release. */
    public static ContentManifest of(DirectoryVersion v) {
        Map<String, String> m = new TreeMap<>();
        for (ResolvedFile f : v.files()) {
            m.put("etc/" + f.path(), file(f.content().getBytes(StandardCharsets.UTF_8), octal(f.mode())));
        }
        // written with the agent's umask: its bytes are what identifies the version
        m.put(ExtensionRelease.path(v.bundle()), file(v.extensionRelease().getBytes(StandardCharsets.UTF_8), NO_MODE));
        return new ContentManifest(m);
    }

    /**
     * This manifest of an entry named {@code name} with its release file keyed as {@code bundle}'s: a version's
     * manifest names the release file by its bundle, whatever name the host gives the entry (see
     * {@link HostStackOrder}), so that a rename is not drift.
     */
    public ContentManifest releaseNamedFor(String name, String bundle) {
        String from = ExtensionRelease.path(name);
        if (name.equals(bundle) || !entries.containsKey(from)) {
            return this;
        }
        Map<String, String> m = new TreeMap<>(entries);
        m.put(ExtensionRelease.path(bundle), m.remove(from));
        return new ContentManifest(m);
    }

    /** The value for a regular file of these bytes and this mode (four octal digits, or {@link #NO_MODE}). */
    public static String file(byte[] content, String mode) {
        return fileOfDigest(sha256(content), mode);
    }

    public static String fileOfDigest(String sha256Hex, String mode) {
        return "sha256:" + sha256Hex + " " + mode;
    }

    /** A mode string of the API ({@code 644}, {@code 0644}) as four octal digits. */
    public static String octal(String mode) {
        return String.format("%04o", Integer.parseInt(mode, 8));
    }

    /**
     * What {@code observed} has that this (expected) manifest does not, and the other way round: one line per path,
     * {@code changed <path>}, {@code missing <path>} or {@code added <path>}, sorted by path. Empty: no drift.
     */
    public List<String> differences(ContentManifest observed) {
        TreeSet<String> paths = new TreeSet<>(entries.keySet());
        paths.addAll(observed.entries.keySet());
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            String want = entries.get(p);
            String seen = observed.entries.get(p);
            if (seen == null) {
                out.add("missing " + p);
            } else if (want == null) {
                out.add("added " + p);
            } else if (!same(want, seen)) {
                out.add("changed " + p);
            }
        }
        return out;
    }

    /** An expected value without a mode ({@link #NO_MODE}) matches a file of the same bytes whatever its mode. */
    private static boolean same(String want, String seen) {
        if (want.endsWith(" " + NO_MODE) && seen.startsWith("sha256:")) {
            return want.substring(0, want.lastIndexOf(' ')).equals(seen.substring(0, seen.lastIndexOf(' ')));
        }
        return want.equals(seen);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
