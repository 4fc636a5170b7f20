package dev.agentgateway.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

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
    static final ArchRule gatewayInternalsAreUsedOnlyByTheGateway = classes()
            .that().resideInAPackage("dev.agentgateway.core.internal..")
            .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("dev.agentgateway.core", "dev.agentgateway.core.internal..");

    /**
     * A capability is a package at the root of the core with its {@code internal} packages, as in
     * Resilience4j; the root package and {@code core.internal} are the gateway's own.
     */
    static String capabilityOf(String packageName) {
        String root = "dev.agentgateway.core";
        if (packageName.equals(root) || packageName.startsWith(root + ".internal")) {
            return "gateway";
        }
        String rest = packageName.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @ArchTest
    static final ArchRule internalPackagesAreNotUsedFromOutsideTheirCapability = classes()
            .that().resideInAPackage("dev.agentgateway.core..internal..")
            .should(new ArchCondition<>("be used only from their own capability") {
                @Override
                public void check(JavaClass target, ConditionEvents events) {
                    String capability = capabilityOf(target.getPackageName());
                    for (Dependency dependency : target.getDirectDependenciesToSelf()) {
                        JavaClass origin = dependency.getOriginClass();
                        if (origin.getPackageName().startsWith("dev.agentgateway.core")
                                && !capabilityOf(origin.getPackageName()).equals(capability)) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                                    + " crosses from capability '" + capabilityOf(origin.getPackageName()) + "' into the internals of '"
                                    + capability + "'"));
                        }
                    }
                }
            })
            .because("a capability's machinery may change without notice; other capabilities use its public face");

    @ArchTest
    static final ArchRule capabilitiesAreFreeOfCycles = slices()
            .assignedFrom(new SliceAssignment() {
                @Override
                public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                    if (javaClass.isEquivalentTo(GatewayException.class)) {
                        return SliceIdentifier.of("the exception base"); // every capability's exceptions extend it
                    }
                    return javaClass.getPackageName().startsWith("dev.agentgateway.core")
                            ? SliceIdentifier.of(capabilityOf(javaClass.getPackageName())) : SliceIdentifier.ignore();
                }

                @Override
                public String getDescription() {
                    return "capabilities of gateway-core (the gateway's root and internal packages counted as one)";
                }
            })
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule thePipelineDoesNotKnowTheToolLoop = noClasses()
            .that().resideInAPackage("dev.agentgateway.core.internal")
            .should().dependOnClassesThat().resideInAPackage("dev.agentgateway.core.internal.tools..")
            .because("the tool loop runs each iteration through the call pipeline, not the other way round");

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
            .that().resideInAPackage("dev.agentgateway.core.*..").and().resideOutsideOfPackage("dev.agentgateway.core.internal..")
            .should().dependOnClassesThat().belongToAnyOf(Gateway.class, GatewayCall.class, GatewayContext.class)
            .because("the Gateway composes the feature packages, not the other way round");

    @ArchTest
    static final ArchRule theGatewaysMachineryDoesNotKnowTheFacade = noClasses()
            .that().resideInAPackage("dev.agentgateway.core.internal..")
            .should().dependOnClassesThat().belongToAnyOf(Gateway.class)
            .because("the call pipeline is wired by the Gateway facade, not the other way round");

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
        assertThat(classes.contain(dev.agentgateway.core.internal.tools.ToolTurnExecutor.class)).isTrue();
        assertThat(classes.stream().filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC)).count()).isGreaterThan(50);
        assertThat(classes.stream().anyMatch(c -> c.getName().endsWith("Test"))).isFalse();
    }
}
