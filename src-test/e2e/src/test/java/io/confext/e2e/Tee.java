package io.confext.e2e;

import java.io.IOException;
import java.io.OutputStream;

/** Shows the box's output live in the test log and keeps a copy to assert on. */
final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public synchronized void write(int x) throws IOException {
        a.write(x);
        b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
        a.write(buf, off, len);
        b.write(buf, off, len);
    }
}
