package io.confext.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsReleaseTest {
    @Test
    void parsesQuotedAndPlainValuesAndSkipsComments() {
        OsRelease r = OsRelease.parse(
                "# c\nID=debian\nVERSION_ID=\"13\"\nPRETTY_NAME=\"Debian \\\"x\\\"\"\nNAME='a\\b'\n\nbroken\n");
        assertThat(r.get("ID")).contains("debian");
        assertThat(r.get("VERSION_ID")).contains("13");
        assertThat(r.get("PRETTY_NAME")).contains("Debian \"x\"");
        assertThat(r.get("NAME"))
                .as("no escapes inside single quotes, as in the shell")
                .contains("a\\b");
        assertThat(r.get("broken")).isEmpty();
    }
}
