package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case in {@code bad-input/} is refused by the real API server (OpenAPI schema and CEL rules
 * of the generated CRDs), both by a plain create and by server-side apply, with an error that names
 * the field and says what is wrong.
 */
@RealApiServerTest
class BadInputRefusedTest {

    private static final Path BAD_INPUT =
            RepoFiles.fromBuild().root().resolve("src-test/apiserver/src/test/resources/bad-input");

    @BeforeAll
    static void installCrds(ApiServer server) {
        Crds.installAll(server.admin(), RepoFiles.fromBuild().crds());
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsRefusedAtCreateAndAtApply(ApiServer server) {
        List<Path> files = RepoFiles.yamlFiles(BAD_INPUT);
        assumeFalse(files.isEmpty(), "no bad-input cases in " + BAD_INPUT + " yet (the API module's cases go there)");
        KubernetesClient client = server.admin();
        return files.stream()
                .map(BadInputCase::read)
                .flatMap(c -> Stream.of(
                        DynamicTest.dynamicTest(
                                c.file() + " (create)",
                                () -> assertNamesTheField(
                                        c,
                                        Refusal.of(
                                                c.file() + " (create)",
                                                () -> client.resource(copy(c)).create(),
                                                () -> delete(client, c)))),
                        DynamicTest.dynamicTest(
                                c.file() + " (server-side apply)",
                                () -> assertNamesTheField(
                                        c,
                                        Refusal.of(
                                                c.file() + " (server-side apply)",
                                                () -> client.resource(copy(c))
                                                        .fieldManager(Crds.FIELD_MANAGER)
                                                        .forceConflicts()
                                                        .serverSideApply(),
                                                () -> delete(client, c))))));
    }

    private static void assertNamesTheField(BadInputCase c, Refusal refusal) {
        assertThat(refusal.code())
                .as("%s: HTTP status of the refusal\n%s", c.file(), refusal.message())
                .isIn(400, 422);
        for (String field : c.fields()) {
            assertThat(refusal.message())
                    .as("%s: the error names the field", c.file())
                    .contains(field);
        }
        for (String message : c.messages()) {
            assertThat(refusal.message())
                    .as("%s: the error says what is wrong", c.file())
                    .contains(message);
        }
    }

    private static GenericKubernetesResource copy(BadInputCase c) {
        // A fresh copy per attempt: the client fills in fields (resourceVersion, managedFields) on the object it sends.
        return io.fabric8.kubernetes.client.utils.Serialization.clone(c.object());
    }

    private static void delete(KubernetesClient client, BadInputCase c) {
        client.resource(copy(c)).delete();
    }
}
