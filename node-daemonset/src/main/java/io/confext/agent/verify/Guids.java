package io.confext.agent.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** GPT GUIDs on disk are mixed-endian: the first three fields little-endian, the last eight bytes as is. */
final class Guids {
    private Guids() {}

    static UUID read(byte[] buf, int off) {
        ByteBuffer le = ByteBuffer.wrap(buf, off, 16).order(ByteOrder.LITTLE_ENDIAN);
        long d1 = le.getInt() & 0xffffffffL;
        long d2 = le.getShort() & 0xffffL;
        long d3 = le.getShort() & 0xffffL;
        long msb = (d1 << 32) | (d2 << 16) | d3;
        long lsb = ByteBuffer.wrap(buf, off + 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(msb, lsb);
    }

    static void write(UUID id, byte[] buf, int off) {
        ByteBuffer le = ByteBuffer.wrap(buf, off, 16).order(ByteOrder.LITTLE_ENDIAN);
        long msb = id.getMostSignificantBits();
        le.putInt((int) (msb >>> 32));
        le.putShort((short) (msb >>> 16));
        le.putShort((short) msb);
        ByteBuffer.wrap(buf, off + 8, 8).order(ByteOrder.BIG_ENDIAN).putLong(id.getLeastSignificantBits());
    }
}
