package io.confext.api.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RevisionDigestTest {

    private static final String SHA = "a".repeat(64);

    private static RevisionContent files() {
        return new RevisionContent(
                "4.5.2",
                Scope.Service,
                List.of("chronyd.service"),
                ResolvedSource.ofFiles(List.of(
                        new ResolvedFile("chrony/chrony.conf", "server ntp1 iburst\n", "0644"),
                        new ResolvedFile("chrony/keys", "1 SHA1 HEX:00\n", "0600"))),
                null,
                ReloadMode.Reload,
                50);
    }

    private static RevisionContent image() {
        return new RevisionContent(
                "1.0",
                Scope.Host,
                List.of(),
                ResolvedSource.ofImage(new ResolvedImage("https://example.org/x.raw", SHA, false, 1024L)),
                new ResolvedVerification(
                        true,
                        TrustSource.Secret,
                        List.of("-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n")),
                ReloadMode.Restart,
                0);
    }

    /** The trust Secret's namespace is part of the content (the agent checks it) and survives the ControllerRevision. */
    @Test
    void trustNamespaceIsRecordedAndReadBack() {
        RevisionContent c = image();
        RevisionContent withNs = new RevisionContent(
                c.version(),
                c.scope(),
                c.units(),
                c.source(),
                new ResolvedVerification(
                        true, TrustSource.Secret, c.verification().trustedCertificatesPem(), "confext-system"),
                c.reload(),
                c.priority());
        assertThat(CanonicalJson.write(withNs)).contains("\"trustNamespace\":\"confext-system\"");
        assertThat(RevisionDigest.of(withNs)).isNotEqualTo(RevisionDigest.of(c));
        RevisionContent back = RevisionCodec.fromData(RevisionCodec.toData(withNs));
        assertThat(back).isEqualTo(withNs);
        assertThat(back.verification().trustNamespace()).isEqualTo("confext-system");
        assertThat(RevisionCodec.fromData(RevisionCodec.toData(c))
                        .verification()
                        .trustNamespace())
                .isNull();
    }

    @Test
    void digestIsSha256HexWithPrefix() {
        assertThat(RevisionDigest.of(files())).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void equalContentHasEqualDigest() {
        assertThat(RevisionDigest.of(files())).isEqualTo(RevisionDigest.of(files()));
        assertThat(RevisionDigest.of(image())).isEqualTo(RevisionDigest.of(image()));
        assertThat(RevisionDigest.matches(files(), RevisionDigest.of(files()))).isTrue();
    }

    /** Pinned value: a change of the canonical form (field names, order, nulls) must be deliberate. */
    @Test
    void canonicalFormIsPinned() {
        assertThat(CanonicalJson.write(image()))
                .isEqualTo("{\"priority\":0,\"reload\":\"Restart\",\"scope\":\"Host\",\"source\":{\"image\":{"
                        + "\"allowInsecureHttp\":false,\"sha256\":\"" + SHA + "\",\"sizeLimitBytes\":1024,"
                        + "\"url\":\"https://example.org/x.raw\"}},\"units\":[],\"verification\":{"
                        + "\"requireSignature\":true,\"trust\":\"Secret\",\"trustedCertificatesPem\":["
                        + "\"-----BEGIN CERTIFICATE-----\\nA\\n-----END CERTIFICATE-----\\n\"]},\"version\":\"1.0\"}");
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change(
                        "version",
                        c -> new RevisionContent(
                                "4.5.3", c.scope(), c.units(), c.source(), c.verification(), c.reload(), c.priority())),
                change(
                        "scope",
                        c -> new RevisionContent(
                                c.version(),
                                Scope.Host,
                                c.units(),
                                c.source(),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "units",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                List.of("chronyd.service", "ntp.service"),
                                c.source(),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "file content",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                ResolvedSource.ofFiles(List.of(
                                        new ResolvedFile("chrony/chrony.conf", "server ntp2 iburst\n", "0644"),
                                        c.source().files().get(1))),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "file mode",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                ResolvedSource.ofFiles(List.of(
                                        c.source().files().get(0),
                                        new ResolvedFile("chrony/keys", "1 SHA1 HEX:00\n", "0640"))),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "file path",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                ResolvedSource.ofFiles(List.of(
                                        c.source().files().get(0),
                                        new ResolvedFile("chrony/key", "1 SHA1 HEX:00\n", "0600"))),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "file order",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                ResolvedSource.ofFiles(List.of(
                                        c.source().files().get(1),
                                        c.source().files().get(0))),
                                c.verification(),
                                c.reload(),
                                c.priority())),
                change(
                        "verification",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                c.source(),
                                new ResolvedVerification(false, TrustSource.Node, List.of()),
                                c.reload(),
                                c.priority())),
                change(
                        "reload",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                c.source(),
                                c.verification(),
                                ReloadMode.None,
                                c.priority())),
                change(
                        "priority",
                        c -> new RevisionContent(
                                c.version(), c.scope(), c.units(), c.source(), c.verification(), c.reload(), 51)),
                change(
                        "health checks",
                        c -> new RevisionContent(
                                c.version(),
                                c.scope(),
                                c.units(),
                                c.source(),
                                c.verification(),
                                c.reload(),
                                c.priority(),
                                List.of(TRACKING))));
    }

    private static final ResolvedHealthCheck TRACKING = new ResolvedHealthCheck(
            "tracking",
            new ResolvedHealthCheck.Exec(List.of("chronyc", "tracking"), true, "chronyd.service"),
            null,
            1,
            10,
            3);

    /** Health checks are frozen with the version and read back by the agent; none keeps the digest of before. */
    @Test
    void healthChecksAreRecordedAndReadBack() {
        RevisionContent c = files();
        assertThat(new RevisionContent(
                        c.version(),
                        c.scope(),
                        c.units(),
                        c.source(),
                        c.verification(),
                        c.reload(),
                        c.priority(),
                        List.of()))
                .isEqualTo(c);
        RevisionContent withChecks = new RevisionContent(
                c.version(),
                c.scope(),
                c.units(),
                c.source(),
                c.verification(),
                c.reload(),
                c.priority(),
                List.of(
                        TRACKING,
                        new ResolvedHealthCheck(
                                "metrics", null, new ResolvedHealthCheck.HttpGet(9100, "/metrics", false), 2, 5, 1)));
        RevisionContent back = RevisionCodec.fromData(RevisionCodec.toData(withChecks));
        assertThat(back).isEqualTo(withChecks);
        assertThat(back.checks())
                .extracting(ResolvedHealthCheck::describe)
                .containsExactly("exec [chronyc tracking] in chronyd.service", "GET http://127.0.0.1:9100/metrics");
        assertThat(c.checks()).isEmpty();
    }

    private static Arguments change(String what, UnaryOperator<RevisionContent> edit) {
        return Arguments.of(what, edit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void anyFieldChangeChangesTheDigest(String what, UnaryOperator<RevisionContent> edit) {
        RevisionContent changed = edit.apply(files());
        assertThat(changed).isNotEqualTo(files());
        assertThat(RevisionDigest.of(changed)).as(what).isNotEqualTo(RevisionDigest.of(files()));
    }

    @Test
    void imageFieldsAreCovered() {
        RevisionContent base = image();
        RevisionContent otherSha = new RevisionContent(
                base.version(),
                base.scope(),
                base.units(),
                ResolvedSource.ofImage(new ResolvedImage("https://example.org/x.raw", "b".repeat(64), false, 1024L)),
                base.verification(),
                base.reload(),
                base.priority());
        RevisionContent otherCert = new RevisionContent(
                base.version(),
                base.scope(),
                base.units(),
                base.source(),
                new ResolvedVerification(true, TrustSource.Secret, List.of("other")),
                base.reload(),
                base.priority());
        assertThat(RevisionDigest.of(otherSha)).isNotEqualTo(RevisionDigest.of(base));
        assertThat(RevisionDigest.of(otherCert)).isNotEqualTo(RevisionDigest.of(base));
    }

    @Test
    void dataRoundTripKeepsContentAndDigest() {
        for (RevisionContent content : List.of(files(), image())) {
            Map<String, Object> data = RevisionCodec.toData(content);
            RevisionContent back = RevisionCodec.fromData(data);
            assertThat(back).isEqualTo(content);
            assertThat(RevisionDigest.of(back)).isEqualTo(RevisionDigest.of(content));
        }
    }

    @Test
    void digestDoesNotDependOnTheKeyOrderOfParsedData() {
        Map<String, Object> data = RevisionCodec.toData(files());
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> keys = List.copyOf(data.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), data.get(keys.get(i)));
        }
        assertThat(RevisionDigest.of(RevisionCodec.fromData(reversed))).isEqualTo(RevisionDigest.of(files()));
    }

    @Test
    void defaultsAreApplied() {
        RevisionContent c = new RevisionContent(
                "1", null, null, ResolvedSource.ofFiles(List.of(new ResolvedFile("a.conf", "", null))), null, null, 0);
        assertThat(c.scope()).isEqualTo(Scope.Service);
        assertThat(c.reload()).isEqualTo(ReloadMode.Reload);
        assertThat(c.units()).isEmpty();
        assertThat(c.source().files().get(0).mode()).isEqualTo("0644");
    }

    @Test
    void badDataIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> RevisionCodec.fromData(null)).hasMessageContaining("no data");
        assertThatThrownBy(() -> RevisionCodec.fromData(Map.of("version", "1")))
                .hasMessageContaining("not a confext revision");
        assertThatThrownBy(() -> ResolvedSource.ofFiles(null))
                .hasMessageContaining("exactly one of files, image or secret");
    }
}
