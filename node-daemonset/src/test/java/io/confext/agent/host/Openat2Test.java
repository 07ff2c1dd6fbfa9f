package io.confext.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's check of a path below a directory (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) on a real file system. */
class Openat2Test {
    @Test
    void theKernelFindsLinksAnywhereOnThePathTheLastComponentIncluded(@TempDir Path dir) throws Exception {
        Optional<Openat2> kernel = Openat2.load();
        assumeTrue(kernel.isPresent(), "no openat2 binding on this platform");
        Openat2 k = kernel.get();
        Files.createDirectories(dir.resolve("state/bundles/demo.v/demo_1"));
        assumeTrue(
                k.linkBeneath(dir, "state/bundles/demo.v/demo_1").isPresent(),
                "openat2 refused here (kernel < 5.6 or seccomp)");

        assertThat(k.linkBeneath(dir, "state/bundles/demo.v/demo_1")).contains(false);
        assertThat(k.linkBeneath(dir, "state/bundles/missing/below"))
                .as("missing is no link")
                .contains(false);
        assertThat(k.linkBeneath(dir, "")).contains(false);

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("state/quarantine"), elsewhere);
        Files.createSymbolicLink(dir.resolve("state/bundles/demo.v/demo_2"), Path.of("demo_1")); // relative, inside
        Files.createSymbolicLink(dir.resolve("state/bundles/demo.v/gone"), Path.of("/nowhere"));
        assertThat(k.linkBeneath(dir, "state/quarantine/demo")).contains(true);
        assertThat(k.linkBeneath(dir, "state/quarantine"))
                .as("the last component")
                .contains(true);
        assertThat(k.linkBeneath(dir, "state/bundles/demo.v/demo_2"))
                .as("even a relative one")
                .contains(true);
        assertThat(k.linkBeneath(dir, "state/bundles/demo.v/gone"))
                .as("even a dangling one")
                .contains(true);
        assertThat(k.linkBeneath(dir, "../" + dir.getFileName()))
                .as("not beneath: the kernel will not say")
                .isEmpty();
    }
}
