package io.confext.testbed;

import java.nio.file.Path;

/**
 * Where the test bed keeps things.
 *
 * @param cacheDir cached root file systems {@code <codename>.rootfs}, built by {@code scripts/prepare-test-hosts}
 * @param stateDir one record per live host, so a later run can clean up after a SIGKILLed one
 * @param dataDir  per-host root trees and /usr overlay layers (see HostTree) (on disk, not tmpfs: tests put images there)
 */
record TestbedPaths(Path cacheDir, Path stateDir, Path dataDir) {

    static TestbedPaths fromEnvironment() {
        String cache = System.getProperty("confext.testbed.cache", System.getenv("CONFEXT_TESTBED_CACHE"));
        Path cacheDir = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "confext-operator", "hosts");
        return new TestbedPaths(cacheDir, Path.of("/run/confext-testbed"), Path.of("/var/tmp/confext-testbed"));
    }

    Path rootfs(HostImage image) {
        return cacheDir.resolve(image.codename() + ".rootfs");
    }
}
