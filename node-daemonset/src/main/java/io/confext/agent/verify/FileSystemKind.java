package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** File systems a confext image may hold, told apart by their superblock magic. */
public enum FileSystemKind {
    EROFS,
    SQUASHFS,
    EXT4,
    UNKNOWN;

    public static FileSystemKind detect(FileChannel ch, long offset, long length) throws IOException {
        if (length < 2048) {
            return UNKNOWN;
        }
        ByteBuffer b = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
            // fill
        }
        if (b.position() < 2048) {
            return UNKNOWN;
        }
        if (b.getInt(ErofsReader.SUPER_OFFSET) == ErofsReader.MAGIC) {
            return EROFS;
        }
        if (b.getInt(0) == 0x73717368) { // "hsqs"
            return SQUASHFS;
        }
        if ((b.getShort(1024 + 56) & 0xffff) == 0xEF53) {
            return EXT4;
        }
        return UNKNOWN;
    }
}
