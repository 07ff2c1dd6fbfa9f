package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sweep on real processes: what a dead box recorded ends, nothing else does. */
class LeftoversTest {

    @Test
    void theSweepKillsRecordedProcessesDeletesScratchDirsAndSparesARecycledPid() throws Exception {
        Path work = Files.createTempDirectory("box-leftovers");
        Leftovers leftovers = new Leftovers(work);
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            Path scratch = Files.createDirectories(
                    Files.createTempDirectory("etcddata").resolve("member/snap"));
            Files.writeString(scratch.resolve("db"), "x");
            long self = ProcessHandle.current().pid();
            leftovers.record(ProcessStamp.of(child.pid(), "agent-x").orElseThrow());
            // this very JVM under another start time: a PID recycled since the box recorded it
            leftovers.record(
                    new Leftover.Process(self, ProcessStamp.startTicks(self).getAsLong() + 1, "operator"));
            leftovers.record(new Leftover.Dir(scratch.getParent().getParent()));

            Leftovers.Swept swept = leftovers.sweep();

            assertThat(child.waitFor(10, TimeUnit.SECONDS))
                    .as("the recorded child is killed")
                    .isTrue();
            assertThat(swept.processes()).isEqualTo(1);
            assertThat(swept.dirs()).isEqualTo(1);
            assertThat(scratch.getParent().getParent()).doesNotExist();
            assertThat(leftovers.file()).as("a swept record is forgotten").doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aSecondBoxOnTheSameWorkDirectoryIsRefusedWhileTheFirstLives() throws Exception {
        Path work = Files.createTempDirectory("box-leftovers");
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            new Leftovers(work)
                    .record(new Leftover.Owner(
                            other.pid(), ProcessStamp.startTicks(other.pid()).getAsLong()));
            Process agent = new ProcessBuilder("sleep", "300").start();
            new Leftovers(work).record(ProcessStamp.of(agent.pid(), "agent-x").orElseThrow());

            assertThatThrownBy(() -> new Leftovers(work).claim())
                    .hasMessageContaining("another box (pid " + other.pid() + ")");
            assertThat(agent.isAlive()).as("the live box's agent is left alone").isTrue();

            other.destroyForcibly().waitFor();
            Leftovers.Swept swept = new Leftovers(work).claim();
            assertThat(swept.processes()).isEqualTo(1);
            assertThat(agent.waitFor(10, TimeUnit.SECONDS))
                    .as("the dead box's agent is ended")
                    .isTrue();
            assertThat(new Leftovers(work).recorded())
                    .containsExactly(new Leftover.Owner(
                            ProcessHandle.current().pid(),
                            ProcessStamp.startTicks(ProcessHandle.current().pid())
                                    .getAsLong()));
        } finally {
            other.destroyForcibly();
        }
    }
}
