package dev.agentgateway.sample.notes;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface NoteRepository extends JpaRepository<Note, Long> {

    List<Note> findByTopicContainingIgnoreCaseOrderByIdAsc(String topic);
}
