package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in {@code examples/} and every case in {@code good-input/} is accepted by the real API
 * server: a dry-run create (all validation and admission, nothing stored) and then server-side
 * apply, as {@code kubectl apply --server-side -f ...} does; the objects are then readable, and are deleted again.
 */
@RealApiServerTest
class ExamplesAcceptedTest {

    @BeforeAll
    static void installCrds(ApiServer server) {
        Crds.installAll(server.admin(), RepoFiles.fromBuild().crds());
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsAccepted(ApiServer server) {
        List<Path> examples = RepoFiles.fromBuild().examples();
        assumeFalse(examples.isEmpty(), "no examples/ yet");
        return acceptedAtCreateAndApply(server.admin(), examples);
    }

    @TestFactory
    Stream<DynamicTest> everyGoodInputIsAccepted(ApiServer server) {
        Path dir = RepoFiles.fromBuild().root().resolve("src-test/apiserver/src/test/resources/good-input");
        List<Path> cases = RepoFiles.yamlFiles(dir);
        assumeFalse(cases.isEmpty(), "no good-input cases in " + dir + " yet");
        return acceptedAtCreateAndApply(server.admin(), cases);
    }

    private static Stream<DynamicTest> acceptedAtCreateAndApply(KubernetesClient client, List<Path> files) {
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    List<HasMetadata> objects = load(client, file);
                    assertThat(objects).as("objects in " + file.getFileName()).isNotEmpty();
                    for (HasMetadata object : objects) {
                        ensureNamespace(client, object);
                        client.resource(object).dryRun().create();
                    }
                    for (HasMetadata object : objects) {
                        client.resource(object)
                                .fieldManager(Crds.FIELD_MANAGER)
                                .forceConflicts()
                                .serverSideApply();
                        assertThat(client.resource(object).get())
                                .as(describe(object) + " stored")
                                .isNotNull();
                    }
                    // The classes after this one share the server: an example bundle without a nodeSelector would be
                    // rolled out to their nodes, and the example ConfextNode has no Node.
                    for (HasMetadata object : objects) {
                        client.resource(object).withGracePeriod(0).delete();
                    }
                }));
    }

    private static List<HasMetadata> load(KubernetesClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ensureNamespace(KubernetesClient client, HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        if (namespace != null && client.namespaces().withName(namespace).get() == null) {
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }
}
