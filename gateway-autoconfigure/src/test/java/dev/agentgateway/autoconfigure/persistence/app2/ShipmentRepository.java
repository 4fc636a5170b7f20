package dev.agentgateway.autoconfigure.persistence.app2;

import org.springframework.data.jpa.repository.JpaRepository;

/** The repository of an application with an explicit {@code @EnableJpaRepositories}. */
public interface ShipmentRepository extends JpaRepository<Shipment, Long> {

    long countByDestination(String destination);
}
