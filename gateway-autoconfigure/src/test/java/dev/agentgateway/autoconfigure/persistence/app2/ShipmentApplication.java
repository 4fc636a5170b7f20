package dev.agentgateway.autoconfigure.persistence.app2;

import dev.agentgateway.autoconfigure.persistence.testapp.TestApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * An application that takes entity scanning and repository registration into its own hands,
 * which switches Spring Boot's own repository auto-configuration off.
 */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "shipment")
@SpringBootApplication
@EntityScan(basePackageClasses = Shipment.class)
@EnableJpaRepositories(basePackageClasses = ShipmentRepository.class)
public class ShipmentApplication {
}
