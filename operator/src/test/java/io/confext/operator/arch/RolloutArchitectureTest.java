package io.confext.operator.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator's rollout model and the status aggregation are pure (docs/architecture.md): the reconcilers read the
 * cluster, hand plain values to the planner and write what it decided. Neither may reach the API server or the
 * operator SDK themselves, nor record metrics (the reconciler does, from the plan: RolloutMetrics).
 */
class RolloutArchitectureTest {
    private static final JavaClasses OPERATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.confext.operator");

    @Test
    void theRolloutModelDoesNoIo() {
        noClasses()
                .that()
                .resideInAPackage("io.confext.operator.rollout..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8.kubernetes.client..",
                        "io.javaoperatorsdk..",
                        "io.quarkus..",
                        "io.confext.operator.bundle..",
                        "io.confext.operator.node..",
                        "io.confext.operator.revision..",
                        "java.nio.file..",
                        "java.net..",
                        "io.micrometer..")
                .because("the rollout planner decides over plain values; the reconcilers do the I/O")
                .check(OPERATOR);
    }

    @Test
    void theStatusAggregatorDoesNoIo() {
        noClasses()
                .that()
                .resideInAPackage("io.confext.operator.status..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8.kubernetes.client..",
                        "io.javaoperatorsdk..",
                        "java.nio.file..",
                        "java.net..",
                        "io.micrometer..")
                .because("every condition passes through the aggregator, which only computes them")
                .check(OPERATOR);
    }
}
