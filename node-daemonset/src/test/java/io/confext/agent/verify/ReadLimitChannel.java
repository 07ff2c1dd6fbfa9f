package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A read-only channel that fails the test on any read reaching past a limit: proves a reader stays in its range. */
final class ReadLimitChannel extends PositionalReadChannel {
    private final FileChannel inner;
    private final long limit;

    ReadLimitChannel(FileChannel inner, long limit) {
        this.inner = inner;
        this.limit = limit;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position + dst.remaining() > limit) {
            throw new AssertionError(
                    "read of " + dst.remaining() + " bytes at " + position + " reaches past the limit " + limit);
        }
        return inner.read(dst, position);
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    protected void implCloseChannel() throws IOException {
        inner.close();
    }
}
