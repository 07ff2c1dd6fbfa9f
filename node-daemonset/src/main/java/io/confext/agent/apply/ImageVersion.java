package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.FileTree;
import io.confext.agent.verify.ImageFormatException;
import io.confext.agent.verify.ImageLayout;
import io.confext.agent.verify.ImageLocator;
import io.confext.agent.verify.RootHashSignatureVerifier;
import io.confext.agent.verify.TreeEntry;
import io.confext.agent.verify.TrustedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verified image as it sits in a {@code .v/} directory: {@code <bundle>_<version>.raw} (a DDI, or a naked erofs
 * image with its {@code .verity}/{@code .roothash}/{@code .roothash.p7s} sidecars next to it, where systemd looks
 * for them). What a unit must see is read from the image's own erofs tree (never mounted by the agent): its
 * extension-release and its small text files under /etc.
 *
 * @param staged        the verified image in staging, moved in by {@link #moveInto}; null for an entry already in place
 * @param rootHash      the dm-verity root hash the data was checked against
 * @param signer        lowercase hex SHA-256 of the trusted certificate that signed the root hash, or null
 */
public record ImageVersion(
        String bundle,
        String version,
        String extensionRelease,
        Map<String, String> expectedFiles,
        String rootHash,
        String signer,
        Path staged)
        implements StagedVersion {
    /** The sidecar suffixes of a naked image, as systemd derives them from {@code NAME.raw}. */
    public static final List<String> SIDECARS = List.of(".verity", ".roothash", ".roothash.p7s");
    /** The proof compares text files up to this size ... */
    static final int MAX_PROOF_FILE = 64 * 1024;
    /** ... and at most this much in all: enough to tell versions apart without holding a large tree in memory. */
    static final int MAX_PROOF_BYTES = 1024 * 1024;

    private static final int MAX_RELEASE = 64 * 1024;
    private static final int MAX_ENTRIES = 100_000;

    public ImageVersion {
        expectedFiles = Map.copyOf(expectedFiles);
    }

    public static String entryName(String bundle, String version) {
        return bundle + "_" + version + ".raw";
    }

    @Override
    public String entryName() {
        return entryName(bundle, version);
    }

    /** An image is moved, not written: use {@link #moveInto}. */
    @Override
    public void writeTo(Path target) {
        throw new UnsupportedOperationException("an image version is moved into its .v/ directory, not written");
    }

    /**
     * Renames the staged sidecars (when {@code withSidecars}), then the image itself into {@code versionsDir}: systemd
     * picks {@code .raw} entries only, so it never sees an image without its sidecars. Sidecars left behind are
     * deleted with the staging directory.
     */
    public void moveInto(Path versionsDir, boolean withSidecars) {
        if (staged == null) {
            throw new IllegalStateException(entryName() + " is not staged");
        }
        for (Path sidecar : sidecarsOf(staged)) {
            if (withSidecars && Files.exists(sidecar)) {
                HostFiles.renameAtomically(sidecar, versionsDir.resolve(sidecar.getFileName()));
            }
        }
        HostFiles.renameAtomically(staged, versionsDir.resolve(entryName()));
    }

    /** The sidecar paths of an image file (whether they exist or not). */
    public static List<Path> sidecarsOf(Path raw) {
        String file = raw.getFileName().toString();
        String base = file.endsWith(".raw") ? file.substring(0, file.length() - 4) : file;
        return SIDECARS.stream().map(s -> raw.resolveSibling(base + s)).toList();
    }

    /** "root hash ..., signed by sha256:..." for status messages. */
    public String provenance() {
        return "image root hash " + (rootHash == null ? "unknown" : rootHash)
                + (signer == null
                        ? ", root hash not signed by a trusted certificate"
                        : ", signed by certificate sha256:" + signer);
    }

    /**
     * Reads what a unit must see from a verified image (in staging or already in a {@code .v/} directory).
     *
     * @param trusted certificates to name the signer by; none: the signer is not named
     */
    public static ImageVersion read(
            Path raw, String bundle, String version, Architecture arch, TrustedCertificates trusted, Path staged) {
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            ImageLayout layout = new ImageLocator().locate(raw, ch, arch);
            FileTree reader = FileTree.open(ch, layout.dataOffset(), layout.dataAreaSize());
            List<TreeEntry> tree = reader.walk(MAX_ENTRIES);
            String releasePath = ExtensionRelease.path(bundle);
            String release = null;
            Map<String, String> files = new LinkedHashMap<>();
            int budget = MAX_PROOF_BYTES;
            List<TreeEntry> regular =
                    new ArrayList<>(tree.stream().filter(TreeEntry::isRegular).toList());
            regular.sort(java.util.Comparator.comparing(TreeEntry::path));
            for (TreeEntry e : regular) {
                if (e.path().equals(releasePath)) {
                    release = utf8(reader.readFile(e, MAX_RELEASE));
                    continue;
                }
                if (!e.path().startsWith("etc/")
                        || e.path().startsWith("etc/extension-release.d/")
                        || e.size() > MAX_PROOF_FILE
                        || e.size() > budget) {
                    continue;
                }
                String text;
                try {
                    text = utf8(reader.readFile(e, MAX_PROOF_FILE));
                } catch (ImageFormatException unreadable) {
                    continue; // a compressed file: systemd reads it, this reader cannot; the others prove the version
                }
                if (text != null) {
                    files.put(e.path().substring("etc/".length()), text);
                    budget -= (int) e.size();
                }
            }
            if (release == null) {
                throw new IllegalStateException(raw + " has no /" + releasePath + " or it is not UTF-8 text");
            }
            String rootHash = layout.signature()
                    .map(s -> s.rootHash())
                    .or(layout::rootHashHint)
                    .orElse(null);
            String signer = null;
            if (layout.signature().isPresent() && !trusted.isEmpty()) {
                signer = new RootHashSignatureVerifier()
                        .verify(
                                layout.signature().get().rootHash(),
                                layout.signature().get().signature(),
                                trusted)
                        .signerFingerprint()
                        .orElse(null);
            }
            return new ImageVersion(bundle, version, release, files, rootHash, signer, staged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image " + raw + ": " + e.getMessage(), e);
        } catch (ImageFormatException e) {
            throw new IllegalStateException("cannot read the image " + raw + ": " + e.getMessage(), e);
        }
    }

    /** Text the proof can compare, or null for bytes that are not UTF-8 (a binary file is not compared). */
    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
