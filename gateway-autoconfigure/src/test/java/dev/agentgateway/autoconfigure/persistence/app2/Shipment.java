package dev.agentgateway.autoconfigure.persistence.app2;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** The entity of an application that names its entity and repository packages itself. */
@Entity
public class Shipment {

    @Id
    @GeneratedValue
    private Long id;

    private String destination;

    protected Shipment() {
    }

    public Shipment(String destination) {
        this.destination = destination;
    }

    public Long getId() {
        return id;
    }

    public String getDestination() {
        return destination;
    }
}
