package io.confext.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.confext.box.BoxSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips (with the reason and the fix) where this machine cannot run a box. */
public final class BoxAssumptions {

    private BoxAssumptions() {}

    public static Path repoRootOrSkip() {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "the box boots real systemd hosts with systemd-nspawn: run the tests as root");
        String cache = System.getenv("CONFEXT_TESTBED_CACHE");
        Path rootfs = (cache != null && !cache.isBlank()
                        ? Path.of(cache)
                        : Path.of(System.getProperty("user.home"), ".cache", "confext-operator", "hosts"))
                .resolve("forky.rootfs");
        assumeTrue(
                Files.isDirectory(rootfs),
                "no cached forky host image at " + rootfs + ": run scripts/prepare-test-hosts");
        Path root = BoxSettings.defaultRepoRoot();
        for (String jar : new String[] {
            "operator/target/quarkus-app/quarkus-run.jar", "node-daemonset/target/quarkus-app/quarkus-run.jar"
        }) {
            assumeTrue(
                    Files.isRegularFile(root.resolve(jar)),
                    root.resolve(jar) + " is not built: ./mvnw -B -pl operator,node-daemonset -am -DskipTests package");
        }
        return root;
    }
}
