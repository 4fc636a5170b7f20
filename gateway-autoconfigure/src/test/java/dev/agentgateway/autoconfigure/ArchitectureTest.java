package dev.agentgateway.autoconfigure;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.sql.init.AbstractScriptDatabaseInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of gateway-autoconfigure: Spring Boot auto-configuration and nothing else. What an
 * application uses lives in gateway-spring; this module maps {@code agent-gateway.*} to it.
 */
@AnalyzeClasses(packages = "dev.agentgateway", importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureTest.ThisModuleOnly.class})
class ArchitectureTest {

    /** The classes of this module, not those of gateway-spring and gateway-core on the class path. */
    static final class ThisModuleOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return location.contains("gateway-autoconfigure/target/classes");
        }
    }

    static final String ROOT = "dev.agentgateway.autoconfigure";

    @ArchTest
    static final ArchRule everythingIsInTheAutoconfigurePackages = classes()
            .should().resideInAPackage(ROOT + "..")
            .because("dev.agentgateway.spring.* classes belong to gateway-spring, which gateway-autoconfigure maps properties to");

    /** A final class of static methods only: a mapper from properties to settings, or a helper of a start-up check. */
    static final DescribedPredicate<JavaClass> STATIC_HELPER = new DescribedPredicate<>("a final class of static methods") {
        @Override
        public boolean test(JavaClass type) {
            return type.getModifiers().contains(JavaModifier.FINAL)
                    && type.getMethods().stream().allMatch(method -> method.getModifiers().contains(JavaModifier.STATIC))
                    && type.getConstructors().stream().allMatch(constructor -> constructor.getModifiers().contains(JavaModifier.PRIVATE));
        }
    };

    @ArchTest
    static final ArchRule onlyAutoConfigurationPropertiesAndStartUpChecks = classes()
            .that().resideInAPackage(ROOT + "..").and().areTopLevelClasses()
            .should().beAnnotatedWith(AutoConfiguration.class)
            .orShould().beAnnotatedWith(ConfigurationProperties.class)
            .orShould().beAnnotatedWith(Configuration.class)
            .orShould(be(assignableTo(SmartInitializingSingleton.class)))
            .orShould(be(assignableTo(BeanFactoryPostProcessor.class)))
            .orShould(be(assignableTo(BeanPostProcessor.class)))
            .orShould(be(assignableTo(AbstractScriptDatabaseInitializer.class)))
            .orShould(be(assignableTo(FailureAnalyzer.class)))
            .orShould(be(assignableTo(Throwable.class)))
            .orShould(be(STATIC_HELPER))
            .because("gateway-autoconfigure holds auto-configurations, properties, the mappers between them and "
                    + "start-up checks with their failure analysis; behaviour belongs to gateway-spring");

    @ArchTest
    static final ArchRule autoConfigurationsAreFinal = classes()
            .that().areAnnotatedWith(AutoConfiguration.class)
            .should().haveModifier(JavaModifier.FINAL)
            .because("auto-configurations are not extension points: replace their beans instead");

    @ArchTest
    static final ArchRule everyBeanBacksOff = methods()
            .that().areAnnotatedWith(Bean.class)
            .should().beAnnotatedWith(ConditionalOnMissingBean.class)
            .because("an application replaces any bean of the starter by defining its own");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices()
            .assignedFrom(new SliceAssignment() {
                @Override
                public SliceIdentifier getIdentifierOf(JavaClass type) {
                    return type.getPackageName().startsWith(ROOT) ? SliceIdentifier.of(type.getPackageName()) : SliceIdentifier.ignore();
                }

                @Override
                public String getDescription() {
                    return "packages of gateway-autoconfigure, each its own slice";
                }
            })
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule subPackagesAreNotKnownToTheRoot = noClasses()
            .that().resideInAPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".(*)..")
            .because("the root holds the gateway's own configuration; integrations build on it, not the other way round");
}
