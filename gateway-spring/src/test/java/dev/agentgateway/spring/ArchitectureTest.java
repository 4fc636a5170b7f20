package dev.agentgateway.spring;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** gateway-spring is what an application imports and the integrations as libraries: no auto-configuration in it. */
@AnalyzeClasses(packages = "dev.agentgateway.spring", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noAutoConfigureImports = noClasses().that().resideInAPackage("dev.agentgateway.spring..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.agentgateway.autoconfigure..",
                    "org.springframework.boot.autoconfigure..")
            .because("the user API module is free of auto-configuration; gateway-autoconfigure maps properties to it");

    @ArchTest
    static final ArchRule noAutoConfigurationClasses = noClasses().that().resideInAPackage("dev.agentgateway.spring..")
            .should().beAnnotatedWith("org.springframework.boot.autoconfigure.AutoConfiguration")
            .orShould().beAnnotatedWith("org.springframework.boot.context.properties.ConfigurationProperties")
            .because("@AutoConfiguration and @ConfigurationProperties classes belong to gateway-autoconfigure");
}
