package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.autoconfigure.persistence.app.Invoice;
import dev.agentgateway.autoconfigure.persistence.app.InvoiceApplication;
import dev.agentgateway.autoconfigure.persistence.app.InvoiceRepository;
import dev.agentgateway.autoconfigure.persistence.app2.Shipment;
import dev.agentgateway.autoconfigure.persistence.app2.ShipmentApplication;
import dev.agentgateway.autoconfigure.persistence.app2.ShipmentRepository;
import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.CheckpointRepository;
import dev.agentgateway.autoconfigure.persistence.testapp.TestApplications;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallHistoryStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.ManagedType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.jpa.repository.JpaRepository;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own entities and repositories keeps working unchanged when the starter
 * is added, and the starter's repositories work next to them: with Spring Boot's default scanning
 * and nothing configured at all (embedded H2), and with an application that names its entity and
 * repository packages itself.
 */
class CoexistenceTest {

    @Test
    void anApplicationWithItsOwnEntityAndRepositoryAndNothingConfigured() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InvoiceApplication.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off", TestApplications.select("invoice")).run()) {
            InvoiceRepository invoices = context.getBean(InvoiceRepository.class);
            invoices.save(new Invoice("acme", new BigDecimal("12.50")));
            invoices.save(new Invoice("globex", BigDecimal.ONE));
            assertThat(invoices.findByCustomer("acme")).singleElement()
                    .satisfies(invoice -> assertThat(invoice.getAmount()).isEqualByComparingTo("12.50"));

            assertGatewayPersists(context);
            assertThat(invoices.count()).isEqualTo(2);
            assertBothPersistenceUnitsShareOneFactory(context, Invoice.class);
            assertThat(context.getBeansOfType(JpaRepository.class).values())
                    .anySatisfy(repository -> assertThat(repository).isInstanceOf(InvoiceRepository.class))
                    .anySatisfy(repository -> assertThat(repository).isInstanceOf(CallRecordRepository.class));
        }
    }

    @Test
    void anApplicationThatNamesItsEntityAndRepositoryPackagesItself() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShipmentApplication.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off", TestApplications.select("shipment")).run()) {
            ShipmentRepository shipments = context.getBean(ShipmentRepository.class);
            shipments.save(new Shipment("Lisbon"));
            assertThat(shipments.countByDestination("Lisbon")).isEqualTo(1);

            assertGatewayPersists(context);
            assertBothPersistenceUnitsShareOneFactory(context, Shipment.class);
            assertThat(context.getBean(CheckpointRepository.class)).isNotNull();
        }
    }

    private static void assertGatewayPersists(ConfigurableApplicationContext context) {
        assertThat(context.getBean(CallHistoryStore.class)).isInstanceOf(JpaCallHistoryStore.class);
        Gateway gateway = context.getBean(Gateway.class);
        gateway.call(GatewayCall.builder().agentId("billing").provider("mock").model("mock-model").user("total?").build());
        assertThat(gateway.getCallHistory("billing", null)).hasSize(1);
        assertThat(context.getBean(CallRecordRepository.class).count()).isEqualTo(1);
    }

    private static void assertBothPersistenceUnitsShareOneFactory(ConfigurableApplicationContext context, Class<?> own) {
        assertThat(context.getBeansOfType(EntityManagerFactory.class)).hasSize(1);
        EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
        assertThat(factory.getMetamodel().getManagedTypes().stream().<Class<?>>map(ManagedType::getJavaType).toList())
                .contains(own, CallRecordEntity.class);
    }
}
