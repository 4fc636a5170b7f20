package dev.agentgateway.autoconfigure.persistence.app;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

/** The application's own repository, found by Spring Boot's repository scanning of the application's package. */
public interface InvoiceRepository extends JpaRepository<Invoice, Long> {

    List<Invoice> findByCustomer(String customer);
}
