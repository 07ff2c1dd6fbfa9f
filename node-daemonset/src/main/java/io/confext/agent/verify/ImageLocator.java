package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the data, hash and signature parts of an image for one architecture. For a DDI: the root,
 * root-verity and root-verity-sig partitions of that architecture (another architecture's
 * partitions make the image foreign). For a naked file system: the sidecars next to it, named as
 * systemd looks for them ({@code NAME.raw} -> {@code NAME.verity}, {@code NAME.roothash} or the
 * {@code user.verity.roothash} xattr, {@code NAME.roothash.p7s}).
 */
public final class ImageLocator {
    /**
     * A root hash is at most 128 hex digits (sha512); 4 KiB leaves room for whitespace and stops a
     * hostile sidecar from being read whole into the 48 MiB heap.
     */
    static final int MAX_ROOT_HASH_SIDECAR = 4096;

    private final GptReader gptReader = new GptReader();

    public ImageLayout locate(Path image, FileChannel ch, Architecture arch) throws IOException, ImageFormatException {
        Optional<GptTable> gpt = gptReader.read(ch);
        if (gpt.isPresent()) {
            return locateDdi(image, ch, gpt.get(), arch);
        }
        return locateNaked(image, ch);
    }

    private ImageLayout locateDdi(Path image, FileChannel ch, GptTable gpt, Architecture arch)
            throws IOException, ImageFormatException {
        List<GptPartition> roots = gpt.ofType(arch.root());
        if (roots.isEmpty()) {
            String foreign = gpt.partitions().stream()
                    .map(p -> Architecture.classify(p.type()))
                    .flatMap(Optional::stream)
                    .filter(t -> t.role() == Architecture.Role.ROOT)
                    .map(t -> t.architecture().systemdName())
                    .distinct()
                    .collect(Collectors.joining(", "));
            if (!foreign.isEmpty()) {
                throw new ImageFormatException(
                        ReasonCode.FOREIGN_ARCHITECTURE,
                        "the image has a root partition for " + foreign + " only; this host is " + arch.systemdName()
                                + ": build the image for " + arch.systemdName());
            }
            throw new ImageFormatException(
                    ReasonCode.NO_ROOT_PARTITION,
                    "the GPT has no root partition (type " + arch.root() + " for " + arch.systemdName()
                            + "); a confext DDI carries its file system in the root partition");
        }
        GptPartition root = roots.get(0);
        Optional<GptPartition> verity = gpt.ofType(arch.rootVerity()).stream().findFirst();
        Optional<GptPartition> sig = gpt.ofType(arch.rootVeritySig()).stream().findFirst();
        Optional<RootHashSignature> signature = Optional.empty();
        ImageFormatException sigError = null;
        if (sig.isPresent()) {
            if (sig.get().size() > RootHashSignature.MAX_PARTITION) {
                sigError = new ImageFormatException(
                        ReasonCode.SIGNATURE_MALFORMED,
                        "the signature partition is " + sig.get().size() + " bytes, above the 4 MiB limit");
            } else {
                try {
                    signature = Optional.of(RootHashSignature.fromPartition(GptReader.readFully(
                            ch, sig.get().offset(), (int) sig.get().size())));
                } catch (ImageFormatException e) {
                    sigError = e;
                }
            }
        }
        Optional<String> hint = verity.map(v -> hex(root.uuid()) + hex(v.uuid()));
        ImageLayout layout = new ImageLayout(
                ImageLayout.Kind.DDI,
                root.offset(),
                root.size(),
                verity.map(v -> image),
                verity.map(GptPartition::offset).orElse(0L),
                verity.map(GptPartition::size).orElse(0L),
                hint,
                signature,
                Optional.of(gpt));
        if (sigError != null) {
            throw new LayoutWithProblem(layout, sigError);
        }
        return layout;
    }

    private ImageLayout locateNaked(Path image, FileChannel ch) throws IOException, ImageFormatException {
        FileSystemKind fs = FileSystemKind.detect(ch, 0, ch.size());
        if (fs == FileSystemKind.UNKNOWN) {
            throw new ImageFormatException(
                    ReasonCode.UNKNOWN_IMAGE_FORMAT,
                    "the image has neither a GPT nor an erofs, squashfs or ext4 "
                            + "superblock; expected a DDI (systemd-repart --make-ddi=confext) or a naked file system image");
        }
        String file = image.getFileName().toString();
        String base = file.endsWith(".raw") ? file.substring(0, file.length() - 4) : file;
        Path dir = image.toAbsolutePath().getParent();
        Path verity = dir.resolve(base + ".verity");
        Path rootHashFile = dir.resolve(base + ".roothash");
        Path p7s = dir.resolve(base + ".roothash.p7s");
        Optional<String> hint = Optional.empty();
        if (Files.isRegularFile(rootHashFile)) {
            long size = Files.size(rootHashFile);
            if (size > MAX_ROOT_HASH_SIDECAR) {
                throw new ImageFormatException(
                        ReasonCode.ROOT_HASH_MISSING,
                        rootHashFile.getFileName() + " is " + size + " bytes, above the " + MAX_ROOT_HASH_SIDECAR
                                + "-byte limit: it does not hold a root hash (at most 128 hex digits)");
            }
            // new String (not readString): a non-ASCII byte becomes U+FFFD and fails the hex check later, not an
            // IOException.
            hint = Optional.of(new String(Files.readAllBytes(rootHashFile), StandardCharsets.US_ASCII)
                    .trim()
                    .toLowerCase(Locale.ROOT));
        } else {
            hint = xattrRootHash(image);
        }
        Optional<RootHashSignature> signature = Optional.empty();
        ImageFormatException sigError = null;
        if (Files.isRegularFile(p7s)) {
            long p7sSize = Files.size(p7s);
            if (hint.isEmpty()) {
                sigError = new ImageFormatException(
                        ReasonCode.ROOT_HASH_MISSING,
                        p7s.getFileName() + " exists but there is no " + rootHashFile.getFileName()
                                + " (nor a user.verity.roothash xattr) holding the root hash it signs");
            } else if (p7sSize > RootHashSignature.MAX_PARTITION) {
                sigError = new ImageFormatException(
                        ReasonCode.SIGNATURE_MALFORMED,
                        p7s.getFileName() + " is " + p7sSize + " bytes, above the 4 MiB limit");
            } else {
                try {
                    signature = Optional.of(RootHashSignature.of(hint.get(), Files.readAllBytes(p7s), null));
                } catch (ImageFormatException e) {
                    sigError = e;
                }
            }
        }
        boolean hasVerity = Files.isRegularFile(verity);
        ImageLayout layout = new ImageLayout(
                ImageLayout.Kind.NAKED,
                0,
                ch.size(),
                hasVerity ? Optional.of(verity) : Optional.empty(),
                0,
                hasVerity ? Files.size(verity) : 0,
                hint,
                signature,
                Optional.empty());
        if (sigError != null) {
            throw new LayoutWithProblem(layout, sigError);
        }
        return layout;
    }

    private static Optional<String> xattrRootHash(Path image) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(image, UserDefinedFileAttributeView.class);
            if (view == null || !view.list().contains("verity.roothash")) {
                return Optional.empty();
            }
            int size = view.size("verity.roothash");
            if (size < 0 || size > MAX_ROOT_HASH_SIDECAR) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            view.read("verity.roothash", b);
            return Optional.of(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII)
                    .trim()
                    .toLowerCase(Locale.ROOT));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static String hex(UUID u) {
        return HexFormat.of()
                .formatHex(java.nio.ByteBuffer.allocate(16)
                        .putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits())
                        .array());
    }

    /** A layout that was found, with a problem in its signature part that must be reported but does not stop the other checks. */
    public static final class LayoutWithProblem extends ImageFormatException {
        private final transient ImageLayout layout;

        LayoutWithProblem(ImageLayout layout, ImageFormatException cause) {
            super(cause.code(), cause.getMessage());
            this.layout = layout;
        }

        public ImageLayout layout() {
            return layout;
        }
    }
}
