package io.confext.agent.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.confext.agent.systemd.UnitProperties;
import org.junit.jupiter.api.Test;

/**
 * The agent's decisions are pure: the planners and rules take plain values and return a decision, so each branch is
 * unit-tested without a host. This keeps them so: none of them may reach the host's files, systemd, the API server,
 * processes or the network. (The classes that do the I/O gather the facts and act on the decision.)
 */
class PureRulesArchitectureTest {
    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.confext.agent");

    /** The pure decision classes, by name: where a package mixes decisions and I/O, the decision is its own class. */
    private static final String[] PURE = {
        "io.confext.agent.apply.ActivationPlanner",
        "io.confext.agent.apply.BundlePlanner",
        "io.confext.agent.apply.BundleDecision",
        "io.confext.agent.apply.OneshotRules",
        "io.confext.agent.apply.DowngradeGuard",
        "io.confext.agent.apply.HostMergePlan",
        "io.confext.agent.apply.HostStackOrder",
        "io.confext.agent.apply.RestorePlanner",
        "io.confext.agent.apply.DriftRules",
        "io.confext.agent.apply.ContentManifest",
        "io.confext.agent.disk.DiskRules",
        "io.confext.agent.disk.DiskSettings",
        "io.confext.agent.disk.StoredVersion",
        "io.confext.agent.kube.ConvergencePlanner",
        "io.confext.agent.kube.NodeEventRules",
        "io.confext.agent.unithealth.UnitHealthRules",
        "io.confext.agent.unithealth.PhaseAge",
        "io.confext.agent.unithealth.WaitingForRestartRules",
        "io.confext.agent.healthcheck.HealthCheckRules",
        "io.confext.agent.trust.NodeGate",
        "io.confext.agent.trust.NodePolicy",
    };

    @Test
    void theDecisionClassesDoNoIo() {
        ArchRule rule = noClasses()
                .that()
                .haveNameMatching(namesAndNested(PURE))
                .should()
                .dependOnClassesThat(resideInAnyPackage(
                                "io.confext.agent.host..",
                                "io.confext.agent.systemd..",
                                "io.confext.agent.fetch..",
                                "io.fabric8.kubernetes.client..",
                                "java.nio.file..",
                                "java.net..",
                                "java.io..",
                                "com.sun.jna..",
                                "org.freedesktop.dbus..",
                                // metrics are recorded at the I/O edges that act on a decision, never inside it
                                "io.micrometer..",
                                "io.confext.agent.metrics..")
                        // the values systemd's properties are read into: data, not a connection
                        .and(not(belongToAnyOf(UnitProperties.class))))
                .orShould()
                .callMethod(ProcessBuilder.class, "start")
                .because("planners and rules are pure: the applier gathers the facts and acts on the decision");
        rule.check(AGENT);
    }

    static String namesAndNested(String... classes) {
        StringBuilder re = new StringBuilder();
        for (String c : classes) {
            re.append(re.length() == 0 ? "" : "|").append(c.replace(".", "\\.")).append("(\\$.*)?");
        }
        return re.toString();
    }
}
