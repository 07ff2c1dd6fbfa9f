package io.confext.api.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalogue is the contract users match on: every reason is a CamelCase word, explained and documented. */
class ReasonCatalogueTest {
    private static final Path TROUBLESHOOTING = Path.of("../docs/troubleshooting.md");

    @Test
    void everyReasonIsDocumentedInTheTroubleshootingGuide() throws IOException {
        String guide = Files.readString(TROUBLESHOOTING);
        List<String> missing = Arrays.stream(Reason.values())
                .map(Reason::name)
                .filter(word -> !guide.contains("`" + word + "`"))
                .toList();
        assertThat(missing)
                .as("reasons without a `Word` in %s", TROUBLESHOOTING)
                .isEmpty();
    }

    @Test
    void everyReasonIsACamelCaseWordWithAMeaning() {
        for (Reason r : Reason.values()) {
            assertThat(r.name()).matches("[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*");
            assertThat(r.meaning()).as(r.name()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void aWordOutsideTheCatalogueIsRefused() {
        assertThat(Reason.of("ReloadFailed")).contains(Reason.ReloadFailed);
        assertThat(Reason.require("Proven")).isEqualTo("Proven");
        assertThat(Reason.of("reloadFailed")).isEmpty();
        assertThatThrownBy(() -> Reason.require("NullPointerException"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NullPointerException");
        assertThatThrownBy(() -> Reason.require(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
