package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.app.InvoiceApplication;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.autoconfigure.persistence.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.data.repository.Repository;
import org.springframework.util.ClassUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter's repositories do not add a second Spring Data scan to the application's start-up log. */
@ExtendWith(OutputCaptureExtension.class)
class RepositoryScanLogTest {

    @Test
    void theApplicationsStartUpLogShowsOneRepositoryScan(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(CallRecordRepository.class)).isNotNull();
        }
        assertThat(output.getOut().split("Bootstrapping Spring Data JPA repositories", -1)).hasSize(2);
        assertThat(output.getOut()).contains("Found 1 JPA repository interface.");
    }

    @Test
    void everyRepositoryOfTheStarterIsABean() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider interfaces = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface();
            }
        };
        interfaces.addIncludeFilter(new AssignableTypeFilter(Repository.class));
        List<String> names = interfaces.findCandidateComponents(CallRecordRepository.class.getPackageName()).stream()
                .map(definition -> definition.getBeanClassName()).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(5);
        try (ConfigurableApplicationContext context = start()) {
            for (String name : names) {
                assertThat(context.getBeanNamesForType(ClassUtils.forName(name, null))).as(name).hasSize(1);
            }
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(InvoiceApplication.class).web(WebApplicationType.NONE)
                .properties(TestApplications.select("invoice")).run();
    }
}
