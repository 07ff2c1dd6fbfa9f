package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeftoverTest {

    @Test
    void everyKindOfEntryReadsBackAsWritten() {
        List<Leftover> entries = List.of(
                new Leftover.Owner(42, 7),
                new Leftover.Process(4711, 123456, "agent-node-a"),
                new Leftover.Cgroup(Path.of("/sys/fs/cgroup/unified/confext-testbed/cxtb-node-a-1234")),
                new Leftover.Dir(Path.of("/tmp/etcddata123")));
        for (Leftover e : entries) {
            assertThat(Leftover.parse(e.line())).contains(e);
        }
    }

    @Test
    void aNameWithSpacesStaysOneField() {
        assertThat(new Leftover.Process(1, 2, "kube apiserver").line()).isEqualTo("process 1 2 kube_apiserver");
    }

    @Test
    void tornUnknownAndRelativeLinesAreSkipped() {
        assertThat(Leftover.parse("process 4711")).isEmpty();
        assertThat(Leftover.parse("process 47x1 5 agent")).isEmpty();
        assertThat(Leftover.parse("dir tmp/x")).isEmpty();
        assertThat(Leftover.parse("")).isEmpty();
        assertThat(Leftover.parse("mount /x")).isEmpty();
    }

    @Test
    void startTicksComeFromField22EvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4711 (java (x) y) S 1 4711 4711 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 987654 1000000 500 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessStamp.parseStartTicks(stat)).hasValue(987654);
        assertThat(ProcessStamp.parseStartTicks(stat.replace(") S ", ") Z ")))
                .as("a zombie has nothing to kill")
                .isEmpty();
        assertThat(ProcessStamp.parseStartTicks("garbage")).isEmpty();
    }
}
