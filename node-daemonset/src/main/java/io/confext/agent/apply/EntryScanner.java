package io.confext.agent.apply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code .v/} entry as it is on the host now into a {@link ContentManifest} (the observed side of a drift
 * comparison). Links are recorded, never followed; an image entry is hashed as one file.
 */
final class EntryScanner {
    private EntryScanner() {}

    /** The entry's manifest; empty when the entry is not there. */
    static ContentManifest scan(Path entry) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
            return new ContentManifest(m);
        }
        try {
            if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                m.put(
                        entry.getFileName().toString(),
                        ContentManifest.fileOfDigest(sha256(entry), ContentManifest.NO_MODE));
                return new ContentManifest(m);
            }
            try (var walk = Files.walk(entry)) { // does not follow links
                for (Path p : walk.toList()) {
                    if (p.equals(entry) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    String rel = entry.relativize(p).toString();
                    if (Files.isSymbolicLink(p)) {
                        m.put(rel, "link " + Files.readSymbolicLink(p));
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        m.put(rel, ContentManifest.fileOfDigest(sha256(p), mode(p)));
                    } else {
                        m.put(rel, "other");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + entry + " to compare it with its verified content: " + e.getMessage(), e);
        }
        return new ContentManifest(m);
    }

    private static String mode(Path p) throws IOException {
        var perms = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions();
        int bits = 0;
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < order.length; i++) {
            if (perms.contains(order[i])) {
                bits |= 1 << (order.length - 1 - i);
            }
        }
        return String.format("%04o", bits);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(
                Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
