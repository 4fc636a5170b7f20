package dev.agentgateway.sample.notes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

import java.time.Instant;

/** A note the researcher keeps: the application's own entity, next to the gateway's. */
@Entity
public class Note {

    @Id
    @GeneratedValue
    private Long id;

    private String topic;

    @Column(length = 4000)
    private String content;

    private Instant createdAt;

    protected Note() {
    }

    public Note(String topic, String content, Instant createdAt) {
        this.topic = topic;
        this.content = content;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getTopic() {
        return topic;
    }

    public String getContent() {
        return content;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
