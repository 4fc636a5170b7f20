package dev.agentgateway.sample.tools;

import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.sample.notes.Note;
import dev.agentgateway.sample.notes.NoteRepository;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.util.List;

/** The desk's tools. Which agent may use which is decided by the gateway's tool access rules. */
@Component
public class ResearchTools {

    private final DocumentCorpus corpus;
    private final NoteRepository notes;
    private final Clock clock = Clock.systemUTC();

    public ResearchTools(DocumentCorpus corpus, NoteRepository notes) {
        this.corpus = corpus;
        this.notes = notes;
    }

    @Tool(name = "search_documents", description = "Searches the desk's document corpus; returns the best matching documents")
    public List<DocumentCorpus.Hit> searchDocuments(@ToolParam(description = "words to look for") String query) {
        return corpus.search(query, 3);
    }

    @Tool(description = "Computes an arithmetic operation exactly: add, subtract, multiply or divide")
    public BigDecimal calculator(@ToolParam(description = "add, subtract, multiply or divide") Operation operation,
                                 @ToolParam(description = "left operand") BigDecimal left,
                                 @ToolParam(description = "right operand") BigDecimal right) {
        return switch (operation) {
            case add -> left.add(right);
            case subtract -> left.subtract(right);
            case multiply -> left.multiply(right);
            case divide -> left.divide(right, MathContext.DECIMAL64);
        };
    }

    @Tool(name = "save_note", description = "Saves a research note under a topic")
    @Transactional
    public String saveNote(@ToolParam(description = "what the note is about") String topic,
                           @ToolParam(description = "the note") String content) {
        Note note = notes.save(new Note(topic, content, clock.instant()));
        return "saved note " + note.getId();
    }

    @Tool(name = "read_notes", description = "Reads the research notes on a topic")
    @Transactional(readOnly = true)
    public List<String> readNotes(@ToolParam(description = "the topic") String topic) {
        return notes.findByTopicContainingIgnoreCaseOrderByIdAsc(topic).stream().map(Note::getContent).toList();
    }

    @Tool(name = "publish_note", description = "Publishes a note for everyone to read. Needs an editor's approval")
    @Transactional
    public String publishNote(@ToolParam(description = "what the note is about") String topic,
                              @ToolParam(description = "the note") String content) {
        Note note = notes.save(new Note(topic, content, clock.instant()));
        return "published note " + note.getId() + " on '" + topic + "': " + content;
    }

    @Tool(name = "delete_notes", description = "Deletes every note. Dangerous: requires approval")
    @Transactional
    public String deleteNotes() {
        long count = notes.count();
        notes.deleteAll();
        return "deleted " + count + " notes";
    }

    /** The calculator's operations. */
    public enum Operation { add, subtract, multiply, divide }
}
