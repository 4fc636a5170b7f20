package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.CheckpointEntity;
import dev.agentgateway.spring.persistence.jpa.CheckpointId;
import dev.agentgateway.spring.persistence.jpa.CheckpointRepository;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints in the application's database, one row per workflow and step. Saving is synchronous
 * and in a transaction of its own: when {@link #save} returns, the checkpoint survives a crash of
 * this JVM, which is what lets another JVM resume the run without repeating a finished tool call.
 * Messages, state, metrics, tool calls and the resumable run are stored as JSON.
 */
public class JpaCheckpointStore implements CheckpointStore {

    /** The tables this store needs. */
    public static final List<String> TABLES = List.of("agw_checkpoint");

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<LlmMessage>> MESSAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<ToolCall>> TOOL_CALLS = new TypeReference<>() {
    };

    private final CheckpointRepository repository;
    private final TransactionTemplate transactions;

    public JpaCheckpointStore(CheckpointRepository repository, PlatformTransactionManager transactionManager) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void save(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            upsert(checkpoint);
        } catch (DataIntegrityViolationException raced) {
            upsert(checkpoint); // another instance inserted the same step first: now it is an update
        }
    }

    private void upsert(Checkpoint checkpoint) {
        String state = PersistenceJson.write(checkpoint.state());
        String metrics = PersistenceJson.write(checkpoint.metrics());
        String messages = PersistenceJson.write(checkpoint.messages());
        String pending = PersistenceJson.write(checkpoint.pendingToolCalls());
        String completed = PersistenceJson.write(checkpoint.completedToolResults());
        String run = PersistenceJson.write(checkpoint.run());
        transactions.executeWithoutResult(status -> {
            CheckpointEntity entity = repository.findById(new CheckpointId(checkpoint.workflowId(), checkpoint.step()))
                    .orElseGet(() -> new CheckpointEntity(checkpoint.workflowId(), checkpoint.step()));
            entity.update(checkpoint.agentId(), checkpoint.timestamp(), checkpoint.finished(), checkpoint.resumable(), state,
                    metrics, messages, pending, completed, run);
            repository.save(entity);
        });
    }

    @Override
    public Optional<Checkpoint> find(String workflowId, int step) {
        return repository.findById(new CheckpointId(workflowId, step)).map(JpaCheckpointStore::toCheckpoint);
    }

    @Override
    public Optional<Checkpoint> latest(String workflowId) {
        return repository.findFirstByWorkflowIdOrderByStepDesc(workflowId).map(JpaCheckpointStore::toCheckpoint);
    }

    @Override
    public List<Checkpoint> list(String workflowId) {
        return repository.findByWorkflowIdOrderByStepAsc(workflowId).stream().map(JpaCheckpointStore::toCheckpoint).toList();
    }

    @Override
    public void delete(String workflowId) {
        transactions.executeWithoutResult(status -> repository.deleteByWorkflow(workflowId));
    }

    @Override
    public void clear() {
        transactions.executeWithoutResult(status -> repository.deleteAllInBatch());
    }

    static Checkpoint toCheckpoint(CheckpointEntity entity) {
        Map<String, Object> state = PersistenceJson.read(entity.getStateJson(), OBJECT_MAP);
        Map<String, Object> metrics = PersistenceJson.read(entity.getMetricsJson(), OBJECT_MAP);
        Map<String, String> completed = PersistenceJson.read(entity.getCompletedToolResultsJson(), STRING_MAP);
        return new Checkpoint(entity.getWorkflowId(), entity.getStep(), entity.getAgentId(), entity.getTimestamp(),
                state == null ? Map.of() : new LinkedHashMap<>(state), metrics,
                PersistenceJson.read(entity.getMessagesJson(), MESSAGES),
                PersistenceJson.read(entity.getPendingToolCallsJson(), TOOL_CALLS), completed,
                PersistenceJson.read(entity.getRunJson(), ResumableRun.class), entity.isFinished());
    }
}
