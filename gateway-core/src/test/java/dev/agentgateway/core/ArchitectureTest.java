package dev.agentgateway.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** The shape of gateway-core: plain Java, small dependencies, internals kept internal. */
@AnalyzeClasses(packages = "dev.agentgateway.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDoesNotDependOnSpring = noClasses().that().resideInAPackage("dev.agentgateway.core..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("gateway-core is plain Java; everything Spring lives in gateway-autoconfigure");

    @ArchTest
    static final ArchRule coreDependsOnlyOnTheJdkJacksonAndSlf4j = classes().that().resideInAPackage("dev.agentgateway.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.agentgateway.core..", "tools.jackson..",
                    "org.slf4j..", "com.knuddels.jtokkit..")
            .because("the core's only runtime dependencies are Jackson, SLF4J and jtokkit (OpenAI's tokenizers)");

    @ArchTest
    static final ArchRule jtokkitStaysInsideInternalPackages = noClasses().that().resideInAPackage("dev.agentgateway.core..")
            .and().resideOutsideOfPackage("..internal..")
            .should().dependOnClassesThat().resideInAPackage("com.knuddels.jtokkit..")
            .because("the tokenizer is an implementation detail behind TokenCounter");

    @ArchTest
    static final ArchRule jacksonStaysInsideInternalPackages = noClasses().that().resideInAPackage("dev.agentgateway.core..")
            .and().resideOutsideOfPackage("..internal..")
            .should().dependOnClassesThat().resideInAPackage("tools.jackson..")
            .because("Jackson is an implementation detail, not part of the public API");

    @ArchTest
    static final ArchRule limitsInternalsAreUsedOnlyByTheGatewayAndTheLimitsPackage = classes()
            .that().resideInAPackage("dev.agentgateway.core.limits.internal..")
            .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("dev.agentgateway.core", "dev.agentgateway.core.limits..");

    @ArchTest
    static final ArchRule loopInternalsAreUsedOnlyByTheGatewayAndTheLoopPackage = classes()
            .that().resideInAPackage("dev.agentgateway.core.loop.internal..")
            .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("dev.agentgateway.core", "dev.agentgateway.core.loop..");

    @ArchTest
    static final ArchRule toolsInternalsAreUsedOnlyByTheGatewayAndTheToolsPackage = classes()
            .that().resideInAPackage("dev.agentgateway.core.tools.internal..")
            .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("dev.agentgateway.core", "dev.agentgateway.core.tools..");

    @ArchTest
    static final ArchRule publicMethodsDoNotReturnInternalTypes = methods()
            .that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
            .should().notHaveRawReturnType(resideInAPackage("..internal.."))
            .because("internal packages may change without notice");

    @ArchTest
    static final ArchRule publicMethodsDoNotTakeInternalTypes = methods()
            .that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
            .should().notHaveRawParameterTypes(new DescribedPredicate<List<JavaClass>>("any internal type") {
                @Override
                public boolean test(List<JavaClass> types) {
                    return types.stream().anyMatch(type -> type.getPackageName().contains(".internal"));
                }
            })
            .because("internal packages may change without notice");

    @ArchTest
    static final ArchRule publicFeaturePackagesUseTheRootPackageOnlyForTheExceptionBase = noClasses()
            .that().resideInAPackage("dev.agentgateway.core.*..").and().resideOutsideOfPackage("..internal..")
            .should().dependOnClassesThat(resideInAPackage("dev.agentgateway.core").and(not(equivalentTo(GatewayException.class))))
            .because("limits, loops, tools, providers, history, checkpoints and state do not know the Gateway");

    @ArchTest
    static final ArchRule noFeaturePackageDependsOnTheGatewayItself = noClasses()
            .that().resideInAPackage("dev.agentgateway.core.*..")
            .should().dependOnClassesThat().belongToAnyOf(Gateway.class, GatewayCall.class, GatewayContext.class)
            .because("the Gateway composes the feature packages, not the other way round");

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching("dev.agentgateway.core.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule exceptionsExtendGatewayException = classes()
            .that().resideInAPackage("dev.agentgateway.core..").and().areAssignableTo(RuntimeException.class)
            .should().beAssignableTo(GatewayException.class)
            .because("the gateway throws one unchecked hierarchy");

    @ArchTest
    static void theRulesSeeTheMainClasses(JavaClasses classes) {
        // guards against a rule passing only because nothing was imported
        assertThat(classes.contain(Gateway.class)).isTrue();
        assertThat(classes.contain(dev.agentgateway.core.tools.internal.ToolTurnExecutor.class)).isTrue();
        assertThat(classes.stream().filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC)).count()).isGreaterThan(50);
        assertThat(classes.stream().anyMatch(c -> c.getName().endsWith("Test"))).isFalse();
    }
}
