package io.confext.api.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cases from the UAPI Version Format Specification and from systemd's own test of
 * strverscmp_improved() (src/test/test-string-util.c), which the spec defers to.
 */
class UapiVersionTest {

    /** Strictly increasing, from systemd's test: every pair must compare in list order. */
    private static final List<String> ASCENDING = List.of(
            "~1",
            "",
            "ab",
            "abb",
            "abc",
            "0001",
            "002",
            "12",
            "122",
            "122.9",
            "123~rc1",
            "123",
            "123-a",
            "123-a.1",
            "123-a1",
            "123-a1.1",
            "123-3",
            "123-3.1",
            "123^patch1",
            "123^1",
            "123.a-1",
            "123.1-1",
            "123a-1",
            "124");

    @Test
    void everyPairOfTheReferenceListComparesInOrder() {
        for (int i = 0; i < ASCENDING.size(); i++) {
            for (int j = 0; j < ASCENDING.size(); j++) {
                String a = ASCENDING.get(i);
                String b = ASCENDING.get(j);
                assertThat(UapiVersion.compare(a, b))
                        .as("compare(%s, %s)", a, b)
                        .isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void sortingAShuffledListRestoresTheReferenceOrder() {
        List<String> shuffled = new ArrayList<>(ASCENDING);
        Collections.shuffle(shuffled, new Random(42));
        shuffled.sort(UapiVersion.ORDER);
        assertThat(shuffled).containsExactlyElementsOf(ASCENDING);
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
        "123.45-67.88, 123.45-67.89",
        "123.45-67.89, 123.45-67.89a",
        "123.45-67.ab, 123.45-67.89",
        "123.45-67.9, 123.45-67.89",
        "123.45-67, 123.45-67.89",
        "123.45-66.89, 123.45-67.89",
        "123.45-9.99, 123.45-67.89",
        "123.42-99.99, 123.45-67.89",
        "123-99.99, 123.45-67.89",
        "123~rc1-99.99, 123.45-67.89",
        "123~rc1-99.99, 123-45.67.89",
        "123~rc1-99.99, 123~rc2-67.89",
        "123~rc1-99.99, 123^aa2-67.89",
        "123~rc1-99.99, 123aa2-67.89",
        "123-99.99, 123^aa2-67.89",
        "123-99.99, 123aa2-67.89",
        "123^45-67.89, 123.45-67.89",
        "123^aa1-99.99, 123^aa2-67.89",
        "123^aa2-67.89, 123aa2-67.89",
        "123.aa2-67.89, 123aa2-67.89",
        "123.aa2-67.89, 123.ab2-67.89",
        // rpm-derived cases in systemd's test
        "1.0, 2.0",
        "2.0, 2.0.1",
        "2.0.1, 2.0.1a",
        "5.5p1, 5.5p2",
        "5.5p1, 5.5p10",
        "10.1xyz, 10xyz",
        "xyz10, xyz10.1",
        "xyz.4, 8",
        "xyz.4, 2",
        "5.5p2, 5.6p1",
        "5.6p1, 6.5p1",
        "6.0, 6.0.rc1",
        "10a2, 10b2",
        "1.0a, 1.0aa",
        "10.0001, 10.0039",
        "4.999.9, 5.0",
        "20101121, 20101122",
        "2.0, 2_0",
        "1.0~rc1, 1.0",
        "1.0~rc1, 1.0~rc2",
        "1.0~rc1~git123, 1.0~rc1",
        "1.0, 1.0^",
        "1.0, 1.0^git1",
        "1.0^git1, 1.0^git2",
        "1.0^git1, 1.01",
        "1.0^20160101, 1.0.1",
        "1.0^20160101^git1, 1.0^20160102",
        "1.0~rc1, 1.0~rc1^git1",
        "1.0^git1~pre, 1.0^git1",
        "1.fc17, 1b.fc17",
        "1.fc17, 1g.fc17",
        // corner cases
        "123, 123.",
        "12_3, 123",
        "12, 12_3",
        "12.3, 12_3",
        "123, 123.0",
        "123, 123_0",
        "123..0, 123.0",
        "~, ''",
    })
    void olderComparesBelowNewer(String older, String newer) {
        assertThat(UapiVersion.compare(older, newer)).isNegative();
        assertThat(UapiVersion.compare(newer, older)).isPositive();
        assertThat(UapiVersion.compare(older, older)).isZero();
        assertThat(UapiVersion.compare(newer, newer)).isZero();
        assertThat(UapiVersion.isNewer(newer, older)).isTrue();
        assertThat(UapiVersion.isNewer(older, newer)).isFalse();
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({
        "123_aa2-67.89, 123aa+2-67.89",
        "0_, 0",
        "_0_, 0",
        "_0, 0",
        "0, 0___",
        "'', _",
        "_, _",
        "~, ~",
        "10.0001, 10.1",
        "a+, a_",
        "+a, _a",
        "_+, +_",
        "1.1.α, 1.1.β",
        "1.1.α, 1.1.ββ",
    })
    void equivalentVersionsCompareEqual(String a, String b) {
        assertThat(UapiVersion.compare(a, b)).isZero();
        assertThat(UapiVersion.compare(b, a)).isZero();
    }

    /**
     * The "Examples" section of the UAPI Version Format Specification, as sign of compare(a, b).
     * Two of its examples, {@code 0 < ~} and {@code '' < ~}, contradict the specification's own
     * rule 2 ("the string with ~ compares lower") and systemd's test ({@code "" > "~"}); systemd
     * decides what a host picks, so those two are asserted the other way round.
     */
    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({
        "11, 11, 0",
        "systemd-123, systemd-123, 0",
        "bar-123, foo-123, -1",
        "123a, 123, 1",
        "123.a, 123, 1",
        "123.a, 123.b, -1",
        "123a, 123.a, 1",
        "11α, 11β, 0",
        "A, a, -1",
        "'', 0, -1",
        "0., 0, 1",
        "0.0, 0, 1",
        "0, ~, 1",
        "'', ~, 1",
        "1_, 1, 0",
        "_1, 1, 0",
        "1_, 1.2, -1",
        "1_2_3, 1.3.3, 1",
        "1+, 1, 0",
        "+1, 1, 0",
        "1+, 1.2, -1",
        "1+2+3, 1.3.3, 1",
    })
    void uapiSpecificationExamples(String a, String b, int expected) {
        assertThat(Integer.signum(UapiVersion.compare(a, b))).isEqualTo(expected);
        assertThat(Integer.signum(UapiVersion.compare(b, a))).isEqualTo(-expected);
    }

    @Test
    void nullIsTheEmptyString() {
        assertThat(UapiVersion.compare(null, "")).isZero();
        assertThat(UapiVersion.compare("", null)).isZero();
        assertThat(UapiVersion.compare(null, "1")).isNegative();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "4.5.2", "1.0~rc1", "1.0^git1", "2024-11-22_1", "v1+build", "A.b-C~d^e_f+g"})
    void validVersions(String version) {
        assertThat(UapiVersion.isValid(version)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.0/2", "../1", "1 2", "1:2", "1,2", "é1", "1\t", "1\n"})
    void invalidVersions(String version) {
        assertThat(UapiVersion.isValid(version)).isFalse();
    }

    @Test
    void lengthIsLimitedTo64() {
        assertThat(UapiVersion.isValid("1".repeat(64))).isTrue();
        assertThat(UapiVersion.isValid("1".repeat(65))).isFalse();
        assertThat(UapiVersion.isValid(null)).isFalse();
    }
}
