package io.confext.kubectl.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellEmptyCellsAreADashAndTheLastColumnIsNotPadded() {
        Table t = new Table("A", "LONGER", "LAST").row("wide cell", "", "x").row("b", "c", "a long message");
        assertThat(t.lines(">"))
                .containsExactly(
                        ">A           LONGER   LAST",
                        ">wide cell   -        x",
                        ">b           c        a long message");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).hasMessageContaining("needs 2 cells");
    }
}
