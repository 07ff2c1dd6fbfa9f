package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The bytes {@code [base, base + length)} of an image that the dm-verity tree covers, read the one way the file system
 * readers ({@link ErofsReader}, {@link SquashfsReader}) may read them: a structure that lies outside is damage, never
 * followed (bytes past the covered range are not protected, and the host will not see them either).
 *
 * @param structure what a structure is called in messages ("EROFS structure")
 * @param article   its indefinite article ("an")
 */
record VerifiedRange(FileChannel ch, long base, long length, String structure, String article) {

    /** {@code len} bytes at {@code pos} (relative to the range), little-endian. */
    ByteBuffer read(long pos, int len) throws IOException, ImageFormatException {
        if (pos < 0 || len < 0 || pos > length - len) {
            throw new ImageFormatException(
                    ReasonCode.FILE_SYSTEM_CORRUPT,
                    structure + " at byte " + pos + " (+" + len + ") lies outside the " + length
                            + "-byte verified range");
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, base + pos + b.position()) < 0) {
                throw new ImageFormatException(
                        ReasonCode.FILE_SYSTEM_CORRUPT,
                        "image ends inside " + article + " " + structure + " at byte " + (pos + b.position()));
            }
        }
        return b.flip();
    }
}
