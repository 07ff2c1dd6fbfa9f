package io.confext.testbed;

/** A test host could not be prepared, booted, used or torn down; the message says what to do. */
public final class TestbedException extends RuntimeException {
    public TestbedException(String message) {
        super(message);
    }

    public TestbedException(String message, Throwable cause) {
        super(message, cause);
    }
}
