package io.confext.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.confext.api.crd.GeneratedCrd;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input data (run against a real kube-apiserver by src-test/apiserver) checked here
 * offline: each case is a well-formed ConfextBundle, its expected message cannot drift from the
 * CRD, and the CRD's own rules (evaluated with cel-java) refuse it with that message.
 */
class BadInputTest {

    /** The API server's wording for the OpenAPI constraints the CRD uses. */
    private static final List<String> SCHEMA_PHRASES = List.of(
            "Required value",
            "Unsupported value",
            "should be greater than or equal to",
            "should be less than or equal to",
            "Too long",
            "Too many",
            "should have at least",
            "should be at least",
            "should match",
            "must be of type");

    private static final JsonNode BUNDLE_CRD = GeneratedCrd.ALL.get(0).generatedTree();
    private static final OfflineCrdValidator VALIDATOR = new OfflineCrdValidator(BUNDLE_CRD);

    static List<BadInputCase> cases() {
        return Manifests.yamlFiles(Manifests.BAD_INPUT).stream()
                .map(BadInputCase::read)
                .toList();
    }

    @Test
    void thereAreCasesForEveryRuleMessage() {
        Set<String> covered = cases().stream().map(BadInputCase::expectMessage).collect(Collectors.toSet());
        List<String> uncovered = new ArrayList<>();
        for (String message : ruleMessages()) {
            if (covered.stream().noneMatch(message::contains)) {
                uncovered.add(message);
            }
        }
        assertThat(uncovered)
                .as("CEL rule messages without a bad-input case in %s", Manifests.BAD_INPUT)
                .isEmpty();
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseIsAFullBundleManifest(BadInputCase c) {
        assertThat(c.manifest().path("apiVersion").asText()).isEqualTo("confext.io/v1alpha1");
        assertThat(c.manifest().path("kind").asText()).isEqualTo("ConfextBundle");
        assertThat(c.manifest().at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        assertThat(c.expectField()).matches("spec[.\\[].*|metadata\\.name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void expectedMessageExistsInTheCrd(BadInputCase c) {
        if (c.origin() == BadInputCase.Origin.rule) {
            assertThat(ruleMessages())
                    .as(
                            "%s expects '%s', which no x-kubernetes-validations message of the generated CRD contains",
                            c.name(), c.expectMessage())
                    .anyMatch(m -> m.contains(c.expectMessage()));
        } else {
            assertThat(SCHEMA_PHRASES)
                    .as("%s: not an API server schema error phrase", c.name())
                    .anyMatch(p -> c.expectMessage().contains(p) || p.contains(c.expectMessage()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void crdRefusesTheCaseWithTheExpectedError(BadInputCase c) {
        List<FieldError> errors = VALIDATOR.validate(c.manifest());
        assertThat(errors).as("%s must be refused", c.name()).isNotEmpty();
        assertThat(errors)
                .as("%s: an error naming %s with '%s'", c.name(), c.expectField(), c.expectMessage())
                .anyMatch(e -> namesField(e, c.expectField()) && e.detail().contains(c.expectMessage()));
        assertThat(errors)
                .as("%s: no rule may fail to evaluate", c.name())
                .noneMatch(e -> e.detail().startsWith("Internal error"));
    }

    /** Errors of rules on the object itself have no field; their message starts with it. */
    private static boolean namesField(FieldError e, String field) {
        return e.field().equals(field) || (e.field().isEmpty() && e.detail().contains(field + ":"));
    }

    static List<String> ruleMessages() {
        return BUNDLE_CRD.findValues("x-kubernetes-validations").stream()
                .flatMap(rules -> rules.findValuesAsText("message").stream())
                .toList();
    }
}
