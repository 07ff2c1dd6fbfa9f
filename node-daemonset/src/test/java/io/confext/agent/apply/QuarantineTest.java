package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded, crash-safe quarantine on a real directory tree (the same renames as on a host). */
class QuarantineTest {
    @TempDir
    Path tmp;

    Path root;
    VersionsDirectory dir;
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    Quarantine q;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("quarantine");
        dir = new VersionsDirectory(Files.createDirectories(tmp.resolve("bundles/demo.v")), "demo");
        q = new Quarantine(root, clock::get);
    }

    private void image(String version, boolean sidecars) throws IOException {
        Files.writeString(dir.dir().resolve("demo_" + version + ".raw"), "image " + version);
        if (sidecars) {
            for (String s : ImageVersion.SIDECARS) {
                Files.writeString(dir.dir().resolve("demo_" + version + s), s + " of " + version);
            }
        }
    }

    private void directory(String version) throws IOException {
        Path d = Files.createDirectories(dir.dir().resolve("demo_" + version + "/demo"));
        Files.writeString(d.resolve("demo.conf"), "v=" + version + "\n");
    }

    private static List<String> ls(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void namesParseBackAndReasonsAreMadeSafe() {
        var h = new Quarantine.Held("demo_1.2.3.raw", "ReloadFailed", 1234L, false);
        assertThat(h.dirName()).isEqualTo("demo_1.2.3.raw.ReloadFailed.1234");
        assertThat(Quarantine.parse(h.dirName())).contains(h);
        var p = new Quarantine.Held("demo_1.2.3", "superseded", 99L, true);
        assertThat(p.dirName()).isEqualTo("demo_1.2.3.superseded.99.partial");
        assertThat(Quarantine.parse(p.dirName())).contains(p);
        assertThat(Quarantine.why("Proof failed: x/y")).isEqualTo("Proof-failed--x-y");
        assertThat(Quarantine.why(null)).isEqualTo("unknown");
        assertThat(Quarantine.parse("demo_1.raw")).isEmpty();
        assertThat(Quarantine.parse("notes.txt")).isEmpty();
        assertThat(Quarantine.parse("demo_1.Reload.Failed.12x")).isEmpty();
    }

    @Test
    void retentionKeepsTheNewestThreeCompleteOnes() {
        List<Quarantine.Held> held = List.of(
                new Quarantine.Held("demo_1", "a", 10, false),
                new Quarantine.Held("demo_2", "a", 50, false),
                new Quarantine.Held("demo_3", "a", 30, false),
                new Quarantine.Held("demo_4", "a", 5, true),
                new Quarantine.Held("demo_5", "a", 40, false),
                new Quarantine.Held("demo_6", "a", 20, false));
        assertThat(Quarantine.beyond(held, 3))
                .extracting(Quarantine.Held::entry)
                .containsExactly("demo_6", "demo_1");
        assertThat(Quarantine.beyond(held.subList(0, 3), 3)).isEmpty();
    }

    @Test
    void anImageGoesWithAllItsSidecarsIntoOneDirectory() throws IOException {
        image("1", true);
        image("2", true);
        Path at = q.put(dir, "2", "ReloadFailed").orElseThrow();

        assertThat(at).isEqualTo(root.resolve("demo/demo_2.raw.ReloadFailed." + clock.get()));
        assertThat(ls(at)).containsExactly("demo_2.raw", "demo_2.roothash", "demo_2.roothash.p7s", "demo_2.verity");
        assertThat(Files.readString(at.resolve("demo_2.verity"))).isEqualTo(".verity of 2");
        assertThat(ls(dir.dir()))
                .containsExactly("demo_1.raw", "demo_1.roothash", "demo_1.roothash.p7s", "demo_1.verity");
        assertThat(dir.versions()).containsExactly("1");
        assertThat(q.put(dir, "2", "again")).as("nothing left to move").isEmpty();
    }

    @Test
    void aDirectoryVersionKeepsItsTree() throws IOException {
        directory("1");
        Path at = q.put(dir, "1", "superseded").orElseThrow();
        assertThat(Files.readString(at.resolve("demo_1/demo/demo.conf"))).isEqualTo("v=1\n");
        assertThat(dir.versions()).isEmpty();
    }

    @Test
    void aFlappingBundleKeepsOnlyItsNewestThree() throws IOException {
        for (int i = 1; i <= 6; i++) {
            image(String.valueOf(i), true);
            clock.addAndGet(1000);
            q.put(dir, String.valueOf(i), "ProofFailed");
        }
        assertThat(ls(root.resolve("demo")))
                .hasSize(Quarantine.KEEP)
                .allMatch(n -> n.matches("demo_[456]\\.raw\\.ProofFailed\\.\\d+"));
        assertThat(q.held("demo"))
                .extracting(Quarantine.Held::entry)
                .containsExactly("demo_6.raw", "demo_5.raw", "demo_4.raw");
        assertThat(ls(dir.dir())).isEmpty();
    }

    @Test
    void theSameMillisecondTwiceDoesNotCollide() throws IOException {
        directory("1");
        directory("2");
        Path a = q.put(dir, "1", "x").orElseThrow();
        Files.move(a.resolve("demo_1"), dir.dir().resolve("demo_1")); // back, to quarantine it again at the same ms
        Path b = q.put(dir, "1", "x").orElseThrow();
        assertThat(a).isNotEqualTo(b);
        assertThat(ls(root.resolve("demo"))).hasSize(2);
    }

    @Test
    void aCrashAfterTheImageLeftIsFinishedOnRecovery() throws IOException {
        image("1", true);
        image("2", true);
        // the state a SIGKILL leaves between the first rename (the .raw) and the sidecars
        Path partial = Files.createDirectories(root.resolve("demo/demo_2.raw.ReloadFailed.5.partial"));
        Files.move(dir.dir().resolve("demo_2.raw"), partial.resolve("demo_2.raw"));
        Files.move(dir.dir().resolve("demo_2.verity"), partial.resolve("demo_2.verity"));
        assertThat(dir.versions())
                .as("version 2 already out of systemd's sight")
                .containsExactly("1");

        q.recover(dir);

        assertThat(ls(root.resolve("demo"))).containsExactly("demo_2.raw.ReloadFailed.5");
        assertThat(ls(root.resolve("demo/demo_2.raw.ReloadFailed.5")))
                .containsExactly("demo_2.raw", "demo_2.roothash", "demo_2.roothash.p7s", "demo_2.verity");
        assertThat(ls(dir.dir()))
                .containsExactly("demo_1.raw", "demo_1.roothash", "demo_1.roothash.p7s", "demo_1.verity");
    }

    @Test
    void aCrashBeforeTheImageLeftKeepsTheVersion() throws IOException {
        image("2", true);
        Files.createDirectories(root.resolve("demo/demo_2.raw.superseded.5.partial"));
        q.recover(dir);
        assertThat(ls(root.resolve("demo"))).isEmpty();
        assertThat(dir.versions()).containsExactly("2");
        assertThat(ls(dir.dir())).hasSize(4);
    }

    @Test
    void sidecarsWithoutTheirImageAreDeleted() throws IOException {
        image("1", true);
        image("2", true);
        Files.delete(dir.dir().resolve("demo_2.raw")); // an interrupted move in: sidecars go first
        directory("3");
        q.recover(dir);
        assertThat(ls(dir.dir()))
                .containsExactly("demo_1.raw", "demo_1.roothash", "demo_1.roothash.p7s", "demo_1.verity", "demo_3");
    }

    @Test
    void recoveryAlsoAppliesTheBound() throws IOException {
        for (int i = 1; i <= 5; i++) {
            Files.createDirectories(root.resolve("demo/demo_" + i + ".raw.ProofFailed." + i));
        }
        q.recover(dir);
        assertThat(ls(root.resolve("demo")))
                .containsExactly("demo_3.raw.ProofFailed.3", "demo_4.raw.ProofFailed.4", "demo_5.raw.ProofFailed.5");
    }

    @Test
    void forgettingABundleDeletesItsQuarantine() throws IOException {
        image("1", true);
        q.put(dir, "1", "ProofFailed");
        Files.writeString(
                Files.createDirectories(root).resolve("old_1.raw.ReloadFailed.7"), "flat, from an older agent");
        assertThat(q.names()).containsExactly("demo", "old_1.raw.ReloadFailed.7");
        q.forget("demo");
        q.forget("old_1.raw.ReloadFailed.7");
        assertThat(q.names()).isEmpty();
        q.forget("never-there");
    }
}
