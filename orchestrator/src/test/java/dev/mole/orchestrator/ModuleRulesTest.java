package dev.mole.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Package boundaries and workflow determinism, checked on the compiled classes. */
class ModuleRulesTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mole");
    }

    @Test
    void internalPackagesAreReachedOnlyThroughTheirModulesPublicFace() {
        noClasses().that().resideOutsideOfPackage("dev.mole.orchestrator.curation..")
                .should().dependOnClassesThat().resideInAPackage("dev.mole.orchestrator.curation.internal..")
                .check(classes);
    }

    /** Workflow code is replayed: it may call activities, never touch I/O, clocks, randomness or the platform. */
    @Test
    void workflowsStayDeterministic() {
        noClasses().that().resideInAPackage("dev.mole.orchestrator.workflows..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.mole.orchestrator.platform..", "dev.mole.orchestrator.stack..",
                        "dev.mole.orchestrator.datasets..", "dev.mole.orchestrator.activities..",
                        "dev.mole.orchestrator.curation..", "java.io..", "java.nio..", "java.net..", "java.sql..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.mole.orchestrator.workflows..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .check(classes);
    }

    /** Dependencies point one way: the orchestrator never reaches into workers or the console. */
    @Test
    void orchestratorDoesNotDependOnWorkersOrConsole() {
        noClasses().that().resideInAPackage("dev.mole.orchestrator..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mole.gpu..", "dev.mole.sandbox..",
                        "dev.mole.console..", "dev.mole.deploy..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.mole.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mole.orchestrator..", "dev.mole.gpu..",
                        "dev.mole.sandbox..", "dev.mole.console..", "dev.mole.deploy..")
                .check(classes);
    }
}
