package io.confext.agent.verify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Locale;

/**
 * An image's file system read without mounting it, for the content policy and for what a unit must see: erofs
 * ({@link ErofsReader}) or squashfs ({@link SquashfsReader}), the two file systems systemd-sysext takes as read-only
 * extension images.
 */
public interface FileTree {

    /** Every entry under the root, depth first; an error past {@code maxEntries} (a tree bomb). */
    List<TreeEntry> walk(int maxEntries) throws IOException, ImageFormatException;

    /** The content of a regular file, at most {@code max} bytes. */
    byte[] readFile(TreeEntry e, int max) throws IOException, ImageFormatException;

    /** The reader for the file system in {@code [offset, offset + length)}; ContentUninspectable for any other. */
    static FileTree open(FileChannel ch, long offset, long length) throws IOException, ImageFormatException {
        FileSystemKind fs = FileSystemKind.detect(ch, offset, length);
        return switch (fs) {
            case EROFS -> new ErofsReader(ch, offset, length);
            case SQUASHFS -> new SquashfsReader(ch, offset, length);
            default ->
                throw new ImageFormatException(
                        ReasonCode.CONTENT_UNINSPECTABLE,
                        "the data holds "
                                + fs.name().toLowerCase(Locale.ROOT)
                                + ", whose tree this verifier cannot inspect (only erofs and"
                                + " squashfs); build the confext as erofs (systemd-repart Format=erofs, mkfs.erofs) or squashfs (mksquashfs)");
        };
    }
}
