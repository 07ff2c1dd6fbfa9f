package io.confext.kubectl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The renderers and the plugin's decisions stay pure (model in, lines out): no API client, no command line, no files,
 * network or processes. The commands do the I/O.
 */
class RenderArchitectureTest {
    private static final JavaClasses PLUGIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.confext.kubectl");

    @Test
    void renderAndDecisionsReachNoIo() {
        noClasses()
                .that()
                .resideInAPackage("io.confext.kubectl.render..")
                .or()
                .haveSimpleName("UndoCheck")
                .or()
                .haveSimpleName("RevisionNamespace")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8.kubernetes.client..", "picocli..", "java.io..", "java.nio.file..", "java.net..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ProcessBuilder.class.getName())
                .check(PLUGIN);
    }
}
