package io.confext.agent.verify;

import java.nio.ByteBuffer;

/** A read-only in-memory channel: lets fuzz targets run the image readers without a file per input. */
final class ByteArrayChannel extends PositionalReadChannel {
    private final byte[] data;

    ByteArrayChannel(byte[] data) {
        this.data = data;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (position >= data.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), data.length - position);
        dst.put(data, (int) position, n);
        return n;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    protected void implCloseChannel() {}
}
