package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one entry point for "may this image be staged?": {@link #verify(Path, Policy)} runs every
 * check that can run (sha256, layout, dm-verity, signature, content policy, extension-release,
 * downgrade) and returns a {@link Verdict} listing every reason for refusal. The image is read once
 * sequentially (sha256 and the verity tree in the same pass) plus small reads of metadata.
 * Stateless and thread-safe apart from the signature verifier's provider, which is read-only.
 */
public final class ImageVerifier {
    private static final int MAX_EXTENSION_RELEASE = 64 * 1024;

    private final ImageLocator locator = new ImageLocator();
    private final VerityVerifier verity = new VerityVerifier();
    private final RootHashSignatureVerifier signatures = new RootHashSignatureVerifier();
    private final ContentPolicy contentPolicy = new ContentPolicy();
    private final ExtensionReleaseMatcher releaseMatcher = new ExtensionReleaseMatcher();

    public Verdict verify(Path image, Policy policy) {
        List<Reason> reasons = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String name = policy.extensionName().orElseGet(() -> ExtensionName.of(image));
        String rootHash = null;
        String signer = null;
        MessageDigest sha = policy.expectedSha256().isPresent() ? sha256() : null;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ImageLayout layout;
            try {
                layout = locator.locate(image, ch, policy.architecture());
            } catch (ImageLocator.LayoutWithProblem e) {
                reasons.add(e.toReason());
                layout = e.layout();
            } catch (ImageFormatException e) {
                reasons.add(e.toReason());
                if (sha != null) {
                    streamDigest(ch, sha);
                    checkDigest(policy.expectedSha256().get(), sha, image, reasons);
                }
                return finish(null, null, name, reasons, notes);
            }
            notes.add("layout: " + describe(layout));
            boolean digestFed = false;
            long contentLength = layout.dataAreaSize();
            boolean dataTrusted = false;
            if (layout.hasVerity()) {
                String expected = layout.signature()
                        .map(RootHashSignature::rootHash)
                        .or(layout::rootHashHint)
                        .orElse(null);
                Path hashPath = layout.hashFile().get();
                try (FileChannel sidecar =
                        hashPath.equals(image) ? null : FileChannel.open(hashPath, StandardOpenOption.READ)) {
                    VerityVerifier.Areas areas = new VerityVerifier.Areas(
                            ch,
                            layout.dataOffset(),
                            layout.dataAreaSize(),
                            sidecar == null ? ch : sidecar,
                            layout.hashOffset(),
                            layout.hashAreaSize());
                    VerityVerifier.Result r = verity.verify(areas, expected == null ? "" : expected, sha);
                    digestFed = true;
                    contentLength = r.superblock().coveredBytes();
                    rootHash = expected == null ? r.rootHash() : expected;
                    if (expected == null) {
                        reasons.add(new Reason(
                                ReasonCode.ROOT_HASH_MISSING,
                                "no root hash to check the data against (no signature, no "
                                        + ".roothash sidecar or xattr); the data hashes to " + r.rootHash()));
                    } else {
                        r.problem().ifPresent(reasons::add);
                        dataTrusted = r.problem().isEmpty();
                    }
                } catch (ImageFormatException e) {
                    reasons.add(e.toReason());
                }
            } else {
                reasons.add(
                        new Reason(
                                ReasonCode.VERITY_MISSING,
                                layout.kind() == ImageLayout.Kind.DDI
                                        ? "the DDI has no root-verity partition for "
                                                + policy.architecture().systemdName()
                                        : "the naked image has no .verity sidecar next to it; its integrity cannot be checked"));
            }
            if (sha != null) {
                if (!digestFed) {
                    streamDigest(ch, sha);
                }
                checkDigest(policy.expectedSha256().get(), sha, image, reasons);
            }
            signer = checkSignature(layout, policy, reasons, notes);
            if (!dataTrusted) {
                notes.add(
                        "the file tree was read from data that did not pass dm-verity: treat what it says as untrusted");
            }
            inspectContent(ch, layout.dataOffset(), contentLength, name, policy, reasons, notes);
        } catch (IOException e) {
            reasons.add(new Reason(ReasonCode.IMAGE_UNREADABLE, "cannot read " + image + ": " + e.getMessage()));
        }
        return finish(rootHash, signer, name, reasons, notes);
    }

    private static Verdict finish(
            String rootHash, String signer, String name, List<Reason> reasons, List<String> notes) {
        return new Verdict(rootHash, signer, name, reasons, notes);
    }

    private String checkSignature(ImageLayout layout, Policy policy, List<Reason> reasons, List<String> notes) {
        if (layout.signature().isEmpty()) {
            boolean alreadyReported = reasons.stream()
                    .anyMatch(r ->
                            r.code() == ReasonCode.SIGNATURE_MALFORMED || r.code() == ReasonCode.ROOT_HASH_MISSING);
            if (policy.requireSignature() && !alreadyReported) {
                reasons.add(
                        new Reason(
                                ReasonCode.SIGNATURE_MISSING,
                                "a signed root hash is required but the image has "
                                        + (layout.kind() == ImageLayout.Kind.DDI
                                                ? "no root-verity-sig partition"
                                                : "no .roothash.p7s sidecar")
                                        + "; sign it (systemd-repart --private-key/--certificate, or openssl smime over the root hash)"));
            }
            return null;
        }
        RootHashSignature sig = layout.signature().get();
        if (!policy.requireSignature() && policy.trusted().isEmpty()) {
            notes.add("the image is signed, but no trusted certificates were given: the signature was not checked");
            return null;
        }
        RootHashSignatureVerifier.Result r = signatures.verify(sig.rootHash(), sig.signature(), policy.trusted());
        r.problem().ifPresent(reasons::add);
        if (r.signerFingerprint().isPresent()
                && sig.certificateFingerprint().isPresent()
                && !sig.certificateFingerprint()
                        .get()
                        .equals(r.signerFingerprint().get())) {
            notes.add("certificateFingerprint in the signature partition ("
                    + sig.certificateFingerprint().get()
                    + ") is not the signer's; it is informational and was ignored");
        }
        return r.signerFingerprint().orElse(null);
    }

    private void inspectContent(
            FileChannel ch,
            long offset,
            long length,
            String name,
            Policy policy,
            List<Reason> reasons,
            List<String> notes)
            throws IOException {
        try {
            FileTree reader = FileTree.open(ch, offset, length);
            List<TreeEntry> tree = reader.walk(policy.maxEntries());
            reasons.addAll(contentPolicy.check(tree, policy.maxTreeBytes()));
            String wanted = "etc/extension-release.d/extension-release." + name;
            Optional<TreeEntry> release =
                    tree.stream().filter(e -> e.path().equals(wanted)).findFirst();
            if (release.isEmpty()) {
                List<String> present = tree.stream()
                        .map(TreeEntry::path)
                        .filter(p -> p.startsWith("etc/extension-release.d/"))
                        .toList();
                reasons.add(new Reason(
                        ReasonCode.EXTENSION_RELEASE_MISSING,
                        "the image has no /" + wanted + " (NAME '" + name + "' comes from the image file name)"
                                + (present.isEmpty() ? "" : "; it has " + present)));
                return;
            }
            if (!release.get().isRegular()) {
                reasons.add(new Reason(ReasonCode.EXTENSION_RELEASE_MISSING, "/" + wanted + " is not a regular file"));
                return;
            }
            Map<String, String> ext = ReleaseFile.parse(
                    new String(reader.readFile(release.get(), MAX_EXTENSION_RELEASE), StandardCharsets.UTF_8));
            notes.add("extension-release." + name + ": " + ext);
            if (policy.host().isPresent()) {
                reasons.addAll(releaseMatcher.match(ext, policy.host().get(), policy.scope()));
            } else if (ext.isEmpty()) {
                reasons.add(new Reason(
                        ReasonCode.EXTENSION_RELEASE_EMPTY, "/" + wanted + " is empty; it needs at least ID="));
            } else {
                notes.add("no host os-release given: compatibility not checked");
            }
        } catch (ImageFormatException e) {
            reasons.add(e.toReason());
        }
    }

    private static void checkDigest(String expected, MessageDigest sha, Path image, List<Reason> reasons) {
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equalsIgnoreCase(expected.trim())) {
            reasons.add(new Reason(
                    ReasonCode.SHA256_MISMATCH,
                    "sha256 mismatch: expected " + expected.trim().toLowerCase(Locale.ROOT) + ", got " + got
                            + "; the image at " + image.getFileName() + " changed or the bundle's sha256 is wrong"));
        }
    }

    private static void streamDigest(FileChannel ch, MessageDigest sha) throws IOException {
        byte[] chunk = new byte[VerityVerifier.CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk);
        long pos = 0;
        int n;
        while ((n = ch.read(buf.clear(), pos)) > 0) {
            sha.update(chunk, 0, n);
            pos += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(ImageLayout l) {
        if (l.kind() == ImageLayout.Kind.DDI) {
            return "DDI (GPT, " + l.gpt().map(GptTable::sectorSize).orElse(0)
                    + "-byte sectors), root partition at byte " + l.dataOffset()
                    + " (" + l.dataAreaSize() + " bytes)" + (l.hasVerity() ? ", root-verity at " + l.hashOffset() : "")
                    + (l.signature().isPresent() ? ", root-verity-sig present" : "");
        }
        return "naked file system"
                + l.hashFile().map(p -> ", hash tree in " + p.getFileName()).orElse("")
                + (l.signature().isPresent() ? ", signature in .roothash.p7s" : "");
    }
}
