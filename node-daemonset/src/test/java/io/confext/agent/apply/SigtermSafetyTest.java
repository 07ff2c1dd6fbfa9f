package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.CrashRuns.Signal;
import io.confext.agent.state.BundleStep;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SIGTERM the agent (a child JVM that stops its converge the way the work loop does on Quarkus' shutdown) at every
 * step boundary and at random moments: a stop is never a verdict. Nothing is quarantined, nothing is reported or
 * journalled Failed or RolledBack, the unit keeps the last good version (or already the new one), and the next start
 * finishes the apply to Active. See {@link CrashSafetyTest} for the same with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one host, one bundle: versions only go up
@HostTest
class SigtermSafetyTest {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String STATE = "/var/lib/confext-operator";
    private static final long FOREVER = 0; // no pause limit: the step never finishes on its own
    private static PlainRootHost host;
    private static int version;

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
        host.installDemo(UNIT);
    }

    @AfterAll
    static void shutdown() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    @Order(1)
    void sigtermAtEveryStepNeverFailsTheVersionAndTheNextStartFinishesIt() throws Exception {
        String good = next();
        assertThat(run(good)).startsWith("DONE Active " + good + " ");
        for (BundleStep boundary : CrashSafetyTest.STEPS) {
            String step = boundary.word();
            // the step in flight outlasts the grace: interrupted, abandoned, resumed by the next start
            String v = next();
            String out = term(v, step, FOREVER, 1000, 0, false);
            assertThat(out).as("stopped at %s", step).startsWith("AT " + step).contains("STOPPED interrupted");
            if (boundary != BundleStep.PROVEN) {
                assertThat(out).as("stopped at %s", step).contains("ABANDONED").doesNotContain("DONE ");
            }
            assertStoppedCleanly(out, good, v);
            assertThat(run(v)).as("restart after the stop at %s", step).startsWith("DONE Active " + v + " ");
            good = v;

            // the step in flight finishes within the grace: the apply completes before the agent exits
            v = next();
            out = term(v, step, 300, 10_000, 0, false);
            assertThat(out)
                    .as("stopped at %s with time to finish", step)
                    .contains("DONE Active " + v + " ")
                    .contains("STOPPED finished")
                    .doesNotContain("ABANDONED");
            assertStoppedCleanly(out, good, v);
            assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig(v, false));
            good = v;
        }
    }

    /** No grace at all: the interrupt lands anywhere, inside the reload job and the proof's polling too. */
    @Test
    @Order(2)
    void sigtermAtRandomMomentsWithoutGraceNeverFailsTheVersion() throws Exception {
        String good = next();
        assertThat(run(good)).startsWith("DONE Active " + good + " ");
        Random random = new Random(7);
        for (int round = 1; round <= 10; round++) {
            String v = next();
            String out = term(v, "-", FOREVER, 0, 300 + random.nextInt(2500), false);
            assertStoppedCleanly(out, good, v);
            assertThat(run(v)).as("round %d after restart", round).startsWith("DONE Active " + v + " ");
            good = v;
        }
    }

    /**
     * A version whose reload really fails, stopped while it is rolled back: the stop does not turn the rollback into a
     * RollbackFailed; the next start finishes it, to the last good version, and only the failed version is quarantined.
     */
    @Test
    @Order(3)
    void sigtermWhileRollingBackLeavesTheRollbackToTheNextStart() throws Exception {
        String good = next();
        assertThat(run(good)).startsWith("DONE Active " + good + " ");
        String bad = next();
        String out = term(bad, BundleStep.ROLLING_BACK.word(), FOREVER, 1000, 0, true);
        assertThat(out)
                .startsWith("AT rolling-back")
                .contains("ABANDONED")
                .contains("STOPPED interrupted")
                .doesNotContain("DONE ")
                .doesNotContain("ERROR");
        assertThat(CrashRuns.run(CrashDriver.class, 0, args(bad, "-", true)))
                .startsWith("DONE RolledBack " + good + " ");
        assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig(good, false));
        assertThat(host.ls(STATE + "/bundles/demo.v")).contains("demo_" + good).doesNotContain("demo_" + bad);
        assertThat(host.ls(STATE + "/quarantine/demo")).allMatch(n -> n.startsWith("demo_" + bad + "."));
    }

    /** What a stop must never do, whether it interrupted the work or let it finish. */
    private static void assertStoppedCleanly(String out, String good, String v) throws Exception {
        assertThat(out)
                .as("driver output")
                .doesNotContain("DONE Failed")
                .doesNotContain("DONE RolledBack")
                .doesNotContain("DONE Pending")
                .doesNotContain("ERROR")
                .doesNotContain("KILLED after");
        Path quarantine = host.files().resolve(STATE + "/quarantine/demo");
        if (Files.exists(quarantine)) {
            assertThat(host.ls(STATE + "/quarantine/demo"))
                    .as("quarantined by a stop\n" + out)
                    .isEmpty();
        }
        Path stateFile = host.files().resolve(STATE + "/state.json");
        assertThat(Files.readString(stateFile))
                .as("state.json after\n" + out)
                .doesNotContainPattern("\"phase\"\\s*:\\s*\"(Failed|RolledBack)\"")
                .doesNotContain("ROLLING_BACK")
                .doesNotContain("\"failedVersion\" : \"");
        assertThat(host.mainPidSees(UNIT, "demo/demo.conf"))
                .as("what the unit sees after\n" + out)
                .hasValueSatisfying(
                        c -> assertThat(c).isIn(Bundles.demoConfig(good, false), Bundles.demoConfig(v, false)));
    }

    private static String next() {
        return Integer.toString(++version);
    }

    private static String run(String v) throws Exception {
        return CrashRuns.run(CrashDriver.class, 0, args(v, "-", false));
    }

    private static String term(String v, String step, long pauseMillis, long graceMillis, int afterMillis, boolean fail)
            throws Exception {
        return CrashRuns.run(
                CrashDriver.class, Signal.TERM, pauseMillis, graceMillis, afterMillis, args(v, step, fail));
    }

    private static List<String> args(String v, String step, boolean fail) {
        List<String> args = new ArrayList<>(List.of(Long.toString(host.leaderPid()), UNIT, v, step));
        if (fail) {
            args.add("fail");
        }
        return args;
    }
}
