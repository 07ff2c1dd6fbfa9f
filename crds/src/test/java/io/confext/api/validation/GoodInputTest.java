package io.confext.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.crd.GeneratedCrd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Edge cases the CRD must accept (the rules are not stricter than documented). */
class GoodInputTest {

    private static final OfflineCrdValidator VALIDATOR =
            new OfflineCrdValidator(GeneratedCrd.ALL.get(0).generatedTree());

    static List<Path> cases() {
        return Manifests.yamlFiles(Manifests.GOOD_INPUT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void crdAcceptsTheCase(Path file) {
        var docs = Manifests.documents(file);
        assertThat(docs).hasSize(1);
        assertThat(VALIDATOR.validate(docs.get(0)))
                .as("%s must be accepted", file.getFileName())
                .isEmpty();
    }
}
