package dev.agentgateway.autoconfigure.persistence.app;

import dev.agentgateway.autoconfigure.persistence.testapp.TestApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** A plain Spring Boot application with its own entity and repository, to which the starter is added. */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "invoice")
@SpringBootApplication
public class InvoiceApplication {
}
