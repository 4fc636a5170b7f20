package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordEntity;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.tools.ToolCallRecord;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.id.IdentifierGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Inserts call and tool-call records into {@code agw_call} and {@code agw_tool_call} with JDBC
 * batch statements, in the transaction of the caller (a JPA transaction, whose connection the
 * JDBC statements share). Reads stay with the entities; only writing bypasses Hibernate's
 * persistence context, which cost most of the writer's time.
 *
 * <p>Ids come from the entities' own generators (their sequences with the pooled optimizer), so
 * rows written here, rows Hibernate wrote before and rows other instances write never share an
 * id, and the id keeps following the order of writing within an instance.
 */
final class JdbcHistoryWriter {

    private static final int SHORT_TEXT = 255;

    private static final String INSERT_CALL = "insert into agw_call (id, call_id, agent_id, provider, model, workflow_id, "
            + "step, tenant, created_at, success, error, error_type, cost, priced, latency_ms, input_tokens, output_tokens, "
            + "attempt, refused_by, overrun, request_json, response_json) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_TOOL_CALL = "insert into agw_tool_call (id, created_at, agent_id, workflow_id, tenant, "
            + "tool_call_id, tool_name, arguments, outcome, success, result, duration_ms) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final EntityManager entityManager;
    private final IdentifierGenerator callIds;
    private final IdentifierGenerator toolCallIds;
    private final boolean storePayloads;

    JdbcHistoryWriter(DataSource dataSource, EntityManagerFactory entityManagerFactory, boolean storePayloads) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        SessionFactoryImplementor sessionFactory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
        this.callIds = idGenerator(sessionFactory, CallRecordEntity.class);
        this.toolCallIds = idGenerator(sessionFactory, ToolCallRecordEntity.class);
        this.storePayloads = storePayloads;
    }

    /** Inserts the records in the current transaction, which must be a JPA one (the ids need its session). */
    void insert(List<CallRecord> calls, List<ToolCallRecord> toolCalls) {
        SharedSessionContractImplementor session = entityManager.unwrap(SharedSessionContractImplementor.class);
        if (!calls.isEmpty()) {
            jdbc.batchUpdate(INSERT_CALL, calls, calls.size(), (statement, record) -> bind(statement, record,
                    (Long) callIds.generate(session, null)));
        }
        if (!toolCalls.isEmpty()) {
            jdbc.batchUpdate(INSERT_TOOL_CALL, toolCalls, toolCalls.size(), (statement, record) -> bind(statement, record,
                    (Long) toolCallIds.generate(session, null)));
        }
    }

    private void bind(PreparedStatement statement, CallRecord record, long id) throws SQLException {
        statement.setLong(1, id);
        statement.setString(2, PersistenceJson.cut(record.callId(), 128));
        statement.setString(3, PersistenceJson.cut(record.agentId(), SHORT_TEXT));
        statement.setString(4, PersistenceJson.cut(record.provider(), 128));
        statement.setString(5, PersistenceJson.cut(record.model(), SHORT_TEXT));
        statement.setString(6, PersistenceJson.cut(record.workflowId(), SHORT_TEXT));
        if (record.step() == null) {
            statement.setNull(7, Types.INTEGER);
        } else {
            statement.setInt(7, record.step());
        }
        statement.setString(8, PersistenceJson.cut(record.tenant(), SHORT_TEXT));
        statement.setObject(9, timestamp(record.timestamp()));
        statement.setBoolean(10, record.success());
        statement.setString(11, record.error());
        statement.setString(12, PersistenceJson.cut(record.errorType(), SHORT_TEXT));
        statement.setBigDecimal(13, record.cost() == null ? BigDecimal.ZERO : record.cost());
        statement.setBoolean(14, record.priced());
        statement.setDouble(15, record.latencyMs());
        statement.setLong(16, record.inputTokens());
        statement.setLong(17, record.outputTokens());
        statement.setInt(18, record.attempt());
        statement.setString(19, PersistenceJson.cut(record.refusedBy(), SHORT_TEXT));
        statement.setBigDecimal(20, record.overrun());
        statement.setString(21, PersistenceJson.write(storePayloads ? record.request() : figuresOf(record.request())));
        statement.setString(22, PersistenceJson.write(storePayloads ? record.response() : figuresOf(record.response())));
    }

    private static void bind(PreparedStatement statement, ToolCallRecord record, long id) throws SQLException {
        statement.setLong(1, id);
        statement.setObject(2, timestamp(record.timestamp()));
        statement.setString(3, PersistenceJson.cut(record.agentId(), SHORT_TEXT));
        statement.setString(4, PersistenceJson.cut(record.workflowId(), SHORT_TEXT));
        statement.setString(5, PersistenceJson.cut(record.tenant(), SHORT_TEXT));
        statement.setString(6, PersistenceJson.cut(record.toolCallId(), SHORT_TEXT));
        statement.setString(7, PersistenceJson.cut(record.toolName(), SHORT_TEXT));
        statement.setString(8, record.arguments());
        statement.setString(9, record.outcome().name());
        statement.setBoolean(10, record.success());
        statement.setString(11, record.result());
        statement.setLong(12, record.durationMs());
    }

    /** The request without what was said: provider, model and settings only. */
    private static LlmRequest figuresOf(LlmRequest request) {
        return request == null ? null : new LlmRequest(request.provider(), request.model(), List.of(), List.of(),
                request.temperature(), request.maxTokens());
    }

    /** The response without what was said: tokens (cached and reasoning parts included), cost, model and latency only. */
    private static LlmResponse figuresOf(LlmResponse response) {
        return response == null ? null : new LlmResponse(null, List.of(), response.inputTokens(), response.outputTokens(),
                response.cost(), response.model(), response.provider(), response.latencyMs(), response.finishReason(),
                response.tokenDetails());
    }

    /** A {@code timestamp with time zone} value every driver takes (PostgreSQL's takes no {@link Instant}). */
    private static OffsetDateTime timestamp(Instant instant) {
        return (instant == null ? Instant.now() : instant).atOffset(ZoneOffset.UTC);
    }

    private static IdentifierGenerator idGenerator(SessionFactoryImplementor sessionFactory, Class<?> entity) {
        return (IdentifierGenerator) sessionFactory.getMappingMetamodel().getEntityDescriptor(entity).getGenerator();
    }
}
