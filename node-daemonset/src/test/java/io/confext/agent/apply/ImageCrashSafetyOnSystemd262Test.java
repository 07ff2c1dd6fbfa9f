package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.CrashRuns.Signal;
import io.confext.agent.state.BundleStep;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.confext.testsupport.ImageServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image path of the agent under SIGKILL: the host side runs in a child JVM ({@link ImageCrashDriver}) that
 * downloads a signed DDI (built by {@code systemd-repart} in the real systemd 262 host), verifies it, moves it into
 * {@code .v/} and activates it with {@code ExtensionImages=}; it is killed at every step boundary and at random
 * moments, then run again to completion. Throughout, a sampler reads what the demo unit's main process sees.
 * <p>
 * Checked: the unit only ever sees the complete config of a version that was built (an image is mounted whole, so
 * this guards the drop-in and reload steps); after every kill, every file in {@code .v/} is byte for byte one of the
 * verified images (a half-downloaded or unverified file never gets there); the restart converges to the version
 * asked for, proven on the unit's main process; staging is left empty; at most 3 versions are kept.
 */
@SystemdHostTest
@TestMethodOrder(
        MethodOrderer.OrderAnnotation
                .class) // one host, one bundle: the SIGTERM rounds use versions above the SIGKILL ones
class ImageCrashSafetyOnSystemd262Test {
    private static final List<BundleStep> STEPS = List.of(
            BundleStep.FETCHING,
            BundleStep.STAGED,
            BundleStep.RENAMED,
            BundleStep.ATTACHED,
            BundleStep.ACTIVATED,
            BundleStep.PROVEN);
    private static final String STATE = "/var/lib/confext-operator-imgcrash";
    private static final String VDIR = STATE + "/bundles/" + ImageCrashDriver.BUNDLE + ".v";
    private static final Pattern CONFIG = Pattern.compile("value=(\\d+)\n");

    static SystemdHost host;
    static ImageServer server;
    static HostBuiltImages.Signer signer;
    static final String UNIT = Bundles.uniqueUnit();
    /** sha256 of every image built (all complete and signed): the only content allowed in .v/. */
    static final Set<String> built = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start(@Host(value = HostImage.FORKY, name = "imgcrash") SystemdHost h) throws Exception {
        host = h;
        server = new ImageServer(null, 1000);
        signer = HostBuiltImages.Signer.create(host, "crash-signer");
        Files.writeString(tmp.resolve("signer.pem"), signer.pem(host));
        DemoService.install(host, UNIT);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Builds and serves version v; returns {url, sha256}. */
    private static String[] image(int v) {
        Path ddi = HostBuiltImages.ddi(
                host,
                "/var/tmp/crashimg/" + ImageCrashDriver.BUNDLE + "_" + v + ".raw",
                ImageCrashDriver.BUNDLE,
                "ID=_any\n",
                Map.of("demo/demo.conf", "value=" + v + "\n"),
                signer,
                null);
        byte[] bytes = HostBuiltImages.bytes(ddi);
        String sha = HostBuiltImages.sha256(bytes);
        built.add(sha);
        String served = "crash-" + v + "/" + ImageCrashDriver.BUNDLE + "_" + v + ".raw";
        server.put(served, bytes);
        return new String[] {server.uri("/ok/" + served).toString(), sha};
    }

    @Test
    @Order(1)
    void killedAtEveryStepAndAtRandomOnlyVerifiedImagesReachTheHostAndItConverges() throws Exception {
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Set<String> seenVersions = ConcurrentHashMap.newKeySet();
        AtomicLong samples = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = new Thread(() -> sample(violations, seenVersions, samples, stop));
        sampler.start();
        Random random = new Random(7);
        int rounds = STEPS.size() + 5;
        try {
            for (int round = 1; round <= rounds; round++) {
                String version = Integer.toString(round);
                String[] img = image(round);
                if (round <= STEPS.size()) {
                    String step = STEPS.get(round - 1).word();
                    assertThat(run(version, step, 0, img))
                            .as("round %d: the agent reached %s", round, step)
                            .isEqualTo("AT " + step);
                } else {
                    run(version, "-", 200 + random.nextInt(3000), img);
                }
                assertOnlyVerifiedImagesIn(VDIR, "round " + round + " after the kill");
                String done = run(version, "-", 0, img);
                assertThat(done).as("round %d after restart", round).startsWith("DONE Active " + version + " ");
                assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                        .as("round %d", round)
                        .contains("value=" + version + "\n");
                assertOnlyVerifiedImagesIn(VDIR, "round " + round + " after converging");
            }
        } finally {
            stop.set(true);
            sampler.join();
        }
        assertThat(samples.get()).as("the sampler really watched").isGreaterThan(50);
        assertThat(violations)
                .as("moments where the unit saw something that is no complete version")
                .isEmpty();
        assertThat(seenVersions).as("versions the sampler saw").hasSizeGreaterThan(3);
        Path staging = host.hostPath(STATE + "/staging");
        if (Files.exists(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                assertThat(s.toList()).as("staging after the last converge").isEmpty();
            }
        }
        try (Stream<Path> s = Files.list(host.hostPath(VDIR))) {
            assertThat(s.toList()).as("versions kept").hasSizeLessThanOrEqualTo(3);
        }
    }

    /**
     * SIGTERM (the agent's stop, as on a rolling update) at every step boundary with a grace the step outlasts, and
     * at random moments without grace, so that the interrupt lands inside the slow download and the verification
     * too: an interrupted download is no refusal, nothing is quarantined or reported Failed, only verified images
     * reach {@code .v/}, and the next start converges to the version asked for.
     */
    @Test
    @Order(2)
    void stoppedBySigtermAtEveryStepAndAtRandomNothingIsRefusedOrQuarantined() throws Exception {
        Random random = new Random(11);
        int rounds = STEPS.size() + 4;
        for (int round = 1; round <= rounds; round++) {
            int v = 100 + round;
            String version = Integer.toString(v);
            String[] img = image(v);
            String out;
            if (round <= STEPS.size()) {
                String step = STEPS.get(round - 1).word();
                out = term(version, step, 1000, 0, img);
                assertThat(out)
                        .as("round %d: stopped at %s", round, step)
                        .startsWith("AT " + step)
                        .contains("STOPPED interrupted");
                if (!step.equals(BundleStep.PROVEN.word())) {
                    assertThat(out).as("round %d: stopped at %s", round, step).contains("ABANDONED");
                }
            } else {
                out = term(version, "-", 0, 200 + random.nextInt(3000), img);
            }
            assertThat(out)
                    .as("round %d", round)
                    .doesNotContain("DONE Failed")
                    .doesNotContain("DONE RolledBack")
                    .doesNotContain("ERROR")
                    .doesNotContain("KILLED after");
            Path quarantine = host.hostPath(STATE + "/quarantine/" + ImageCrashDriver.BUNDLE);
            if (Files.isDirectory(quarantine)) {
                try (Stream<Path> s = Files.list(quarantine)) {
                    assertThat(s.toList())
                            .as("round %d: quarantined by a stop\n%s", round, out)
                            .isEmpty();
                }
            }
            assertOnlyVerifiedImagesIn(VDIR, "round " + round + " after the stop");
            String done = run(version, "-", 0, img);
            assertThat(done)
                    .as("round %d after restart (stop output:\n%s)", round, out)
                    .startsWith("DONE Active " + version + " ");
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                    .as("round %d", round)
                    .contains("value=" + version + "\n");
        }
    }

    private static String term(String version, String step, long graceMillis, int afterMillis, String[] img)
            throws Exception {
        return CrashRuns.run(
                ImageCrashDriver.class, Signal.TERM, 0, graceMillis, afterMillis, args(version, step, img));
    }

    private static void assertOnlyVerifiedImagesIn(String vdir, String when) throws IOException {
        Path d = host.hostPath(vdir);
        if (!Files.isDirectory(d)) {
            return;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                assertThat(p.getFileName().toString()).as(when).matches(ImageCrashDriver.BUNDLE + "_\\d+\\.raw");
                assertThat(built)
                        .as("%s: %s is one of the verified images", when, p.getFileName())
                        .contains(HostBuiltImages.sha256(Files.readAllBytes(p)));
            }
        }
    }

    /** Runs the driver for this version (see {@link CrashRuns#run}). */
    private static String run(String version, String step, int killAfterMillis, String[] img) throws Exception {
        return CrashRuns.run(ImageCrashDriver.class, killAfterMillis, args(version, step, img));
    }

    private static List<String> args(String version, String step, String[] img) {
        return List.of(
                Long.toString(host.leaderPid()),
                STATE,
                UNIT,
                version,
                step,
                img[0],
                img[1],
                tmp.resolve("signer.pem").toString(),
                ImageBundlesOnSystemd262Test.NO_DEVICE_MAPPER_POLICY);
    }

    /** Reads the unit's config as its main process sees it, continuously; absent is fine (no version yet, restarts). */
    private static void sample(List<String> violations, Set<String> seen, AtomicLong samples, AtomicBoolean stop) {
        long pid = 0;
        while (!stop.get()) {
            try {
                if (pid <= 0 || !Files.exists(host.hostPath("/proc/" + pid + "/root/etc"))) {
                    pid = DemoService.mainPid(host, UNIT);
                }
                if (pid > 0) {
                    Optional<String> conf = read(host.hostPath("/proc/" + pid + "/root/etc/demo/demo.conf"));
                    samples.incrementAndGet();
                    if (conf.isPresent()) {
                        var m = CONFIG.matcher(conf.get());
                        if (!m.matches()) {
                            violations.add("pid " + pid + " sees config " + conf.get());
                        } else {
                            seen.add(m.group(1));
                        }
                    }
                }
            } catch (RuntimeException processGoneMeanwhile) {
                pid = 0; // the unit restarted between reads: the next sample finds the new process
            }
        }
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
