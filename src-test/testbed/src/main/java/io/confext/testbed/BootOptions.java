package io.confext.testbed;

import java.time.Duration;

/** Tunables of a boot; the timeout can be raised on slow CI machines with -Dconfext.testbed.bootTimeoutSeconds. */
record BootOptions(Duration bootTimeout) {
    static BootOptions defaults() {
        return new BootOptions(Duration.ofSeconds(Long.getLong("confext.testbed.bootTimeoutSeconds", 120)));
    }
}
