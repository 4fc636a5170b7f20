package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.BudgetWindow;
import dev.agentgateway.spring.persistence.FullQueuePolicy;
import dev.agentgateway.spring.persistence.HistoryRetention;
import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.spring.persistence.JpaCheckpointStore;
import dev.agentgateway.spring.persistence.jpa.BudgetRepository;
import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.LeaseRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordRepository;
import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.TokenDetails;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The JPA stores against one database: the same tests run on H2 and on PostgreSQL. The
 * application behind them has nothing but the starter, with {@code ddl-auto=validate}, so the
 * shipped schema script of the database is what the entities are checked against.
 */
abstract class AbstractPersistenceStoreTest {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    protected JpaCallHistoryStore history;
    protected JpaCheckpointStore checkpoints;
    protected JpaBudgetLedger ledger;
    protected JdbcTemplate jdbc;

    /** The application of the subclass's database, started once per class. */
    protected abstract ConfigurableApplicationContext context();

    /** The properties of the subclass's application on a new, empty database of the same kind. */
    protected abstract Map<String, String> propertiesOfAnEmptyDatabase();

    /** A second instance of that application on the same database, as a second server would be; closed by the caller. */
    protected abstract ConfigurableApplicationContext startAnotherInstance();

    /** Properties every store test application gets, whatever the database. */
    static Map<String, String> commonProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.jpa.hibernate.ddl-auto", "validate");
        properties.put("spring.main.banner-mode", "off");
        properties.put("agent-gateway.persistence.history.flush-interval", "50ms");
        properties.put("agent-gateway.persistence.retention.enabled", "false");
        return properties;
    }

    @BeforeEach
    void cleanStores() {
        ConfigurableApplicationContext context = context();
        history = context.getBean(JpaCallHistoryStore.class);
        checkpoints = context.getBean(JpaCheckpointStore.class);
        ledger = context.getBean(JpaBudgetLedger.class);
        jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
        history.clear();
        checkpoints.clear();
        ledger.reset();
    }

    // ---- wiring --------------------------------------------------------------------------------

    @Test
    void theGatewayUsesTheJpaStores() {
        ConfigurableApplicationContext context = context();
        assertThat(context.getBean(CallHistoryStore.class)).isSameAs(history);
        assertThat(context.getBean(CheckpointStore.class)).isSameAs(checkpoints);
        assertThat(context.getBean(BudgetLedger.class)).isSameAs(ledger);

        Gateway gateway = context.getBean(Gateway.class);
        gateway.call(GatewayCall.builder().agentId("wired").provider("mock").model("mock-model").user("hello")
                .workflowId("wf-wired").tenant("acme").build());

        List<CallRecord> recorded = gateway.getCallHistory("wired", null);
        assertThat(recorded).singleElement().satisfies(record -> {
            assertThat(record.success()).isTrue();
            assertThat(record.workflowId()).isEqualTo("wf-wired");
            assertThat(record.tenant()).isEqualTo("acme");
            assertThat(record.response().content()).isNotBlank();
        });
        assertThat(jdbc.queryForObject("select count(*) from agw_call where agent_id = 'wired'", Long.class)).isEqualTo(1);
        ScopeUsage tenant = ledger.usage(LimitScope.tenant("acme"));
        assertThat(tenant.committedSteps()).isEqualTo(1);
        assertThat(tenant.committedCost()).isEqualByComparingTo(recorded.get(0).cost());
        assertThat(gateway.metrics().totalSteps()).isEqualTo(1);
    }

    // ---- call history --------------------------------------------------------------------------

    @Test
    void aCallRecordComesBackAsItWasWritten() {
        Instant at = now();
        ToolCall toolCall = new ToolCall("call_1", "lookup", "{\"q\":\"x\"}");
        LlmRequest request = new LlmRequest("openai", "gpt-4o", List.of(LlmMessage.system("be brief"),
                LlmMessage.user("look it up"), LlmMessage.assistant(null, List.of(toolCall)),
                LlmMessage.tool("call_1", "lookup", "found")),
                List.of(ToolSpec.of("lookup", "Looks things up", Map.of("type", "object",
                        "properties", Map.of("q", Map.of("type", "string")), "required", List.of("q")))), 0.3, 256);
        LlmResponse response = new LlmResponse("It is x", List.of(), 120, 30, new BigDecimal("0.00123"), "gpt-4o", "openai",
                42, "stop");
        CallRecord record = CallRecord.success(new CallRecord.Origin("id-1", "writer", request, at, "wf-1", 3, "acme", 2),
                response, true, 42.5);

        history.append(record);

        assertThat(history.find(HistoryQuery.all())).singleElement().satisfies(found -> {
            assertThat(found.request()).isEqualTo(request);
            assertThat(found.response()).isEqualTo(response);
            assertThat(found.cost()).isEqualByComparingTo("0.00123");
            assertThat(found).usingRecursiveComparison().ignoringFields("cost", "request", "response").isEqualTo(record);
        });
    }

    @Test
    void aFailedCallIsRecordedWithItsError() {
        CallRecord failed = CallRecord.failure(new CallRecord.Origin("id-2", "writer", request("boom"), now(), null, null, null, 1),
                "Provider 'openai' failed: 500", new ProviderServerException("openai", 500, "500", null), 3.0);
        history.append(failed);

        assertThat(history.find(HistoryQuery.all().withSuccess(false))).singleElement().satisfies(found -> {
            assertThat(found.response()).isNull();
            assertThat(found.error()).isEqualTo("Provider 'openai' failed: 500");
            assertThat(found.errorType()).isEqualTo("ProviderServerException");
            assertThat(found.inputTokens()).isZero();
        });
    }

    @Test
    void withoutPayloadsOnlyTheFiguresOfACallAreKept() {
        GatewayPersistenceProperties.History settings = new GatewayPersistenceProperties.History();
        settings.setStorePayloads(false);
        ConfigurableApplicationContext context = context();
        JpaCallHistoryStore figuresOnly = new JpaCallHistoryStore(context.getBean(CallRecordRepository.class),
                context.getBean(ToolCallRecordRepository.class), context.getBean(javax.sql.DataSource.class),
                context.getBean(PlatformTransactionManager.class),
                context.getBean(EntityManagerFactory.class), PersistenceSettingsMapper.history(settings));
        try {
            figuresOnly.append(call("private", null, null, true, now()));
            CallRecord found = figuresOnly.find(HistoryQuery.byAgent("private", null)).get(0);
            assertThat(found.request().messages()).isEmpty();
            assertThat(found.request().model()).isEqualTo("mock-model");
            assertThat(found.response().content()).isNull();
            assertThat(found.inputTokens()).isEqualTo(10);
            assertThat(found.outputTokens()).isEqualTo(5);
            assertThat(found.cost()).isEqualByComparingTo("0.0015");
            assertThat(jdbc.queryForObject("select request_json from agw_call where agent_id = 'private'", String.class))
                    .doesNotContain("question");
        } finally {
            figuresOnly.destroy();
        }
    }

    @Test
    void aRefusedCallComesBackWithTheScopeThatRefusedIt() {
        BudgetExceededException refusal = new BudgetExceededException(LimitScope.tenant("acme"), "writer",
                new BigDecimal("0.99"), new BigDecimal("0.02"), new BigDecimal("1.00"));
        CallRecord refused = CallRecord.refused(new CallRecord.Origin("id-3", "writer", request("spend"), now(), "wf-3", 2,
                "acme", 1), refusal.getMessage(), refusal, "tenant:acme");
        history.append(refused);

        assertThat(history.find(HistoryQuery.all())).singleElement().satisfies(found -> {
            assertThat(found.refused()).isTrue();
            assertThat(found.refusedBy()).isEqualTo("tenant:acme");
            assertThat(found.errorType()).isEqualTo("BudgetExceededException");
            assertThat(found).usingRecursiveComparison().ignoringFields("cost").isEqualTo(refused);
        });
    }

    @Test
    void aCallThatCostMoreThanItsReservationComesBackWithItsOverrunAndTokenDetails() {
        LlmResponse response = new LlmResponse("long answer", List.of(), 900, 700, new BigDecimal("0.0123"), "mock-model",
                "mock", 12, "stop", TokenDetails.of(600, 50, 300));
        CallRecord overrun = CallRecord.success(new CallRecord.Origin("id-4", "writer", request("go on"), now(), null, null,
                null, 1), response, true, 12.0, new BigDecimal("0.0041"));
        history.append(overrun);

        assertThat(history.find(HistoryQuery.all())).singleElement().satisfies(found -> {
            assertThat(found.exceededReservation()).isTrue();
            assertThat(found.overrun()).isEqualByComparingTo("0.0041");
            assertThat(found.response().tokenDetails()).isEqualTo(new TokenDetails(600, 50, 300));
            assertThat(found.refusedBy()).isNull();
        });
    }

    @Test
    void withoutPayloadsTheTokenDetailsOfACallAreKept() {
        GatewayPersistenceProperties.History settings = new GatewayPersistenceProperties.History();
        settings.setStorePayloads(false);
        JpaCallHistoryStore figuresOnly = separateStore(settings, context().getBean(PlatformTransactionManager.class));
        try {
            LlmResponse response = new LlmResponse("secret answer", List.of(), 900, 700, new BigDecimal("0.0123"),
                    "mock-model", "mock", 12, "stop", TokenDetails.of(600, 50, 300));
            figuresOnly.append(CallRecord.success(new CallRecord.Origin("id-5", "private", request("question"), now(), null,
                    null, null, 1), response, true, 12.0));

            assertThat(figuresOnly.find(HistoryQuery.byAgent("private", null))).singleElement()
                    .satisfies(found -> assertThat(found.response().tokenDetails()).isEqualTo(new TokenDetails(600, 50, 300)));
        } finally {
            figuresOnly.destroy();
        }
    }

    @Test
    void aDatabaseMadeByTheScriptWithoutRefusalsAndOverrunsIsUpgradedAtStartUp() {
        Map<String, String> properties = propertiesOfAnEmptyDatabase();
        properties.put("agent-gateway.jdbc.initialize-schema", "always");
        try (ConfigurableApplicationContext before = StoreTestApplication.run(properties)) {
            // the script before refused_by and overrun was this one without them, and wrote rows without them
            JdbcTemplate old = new JdbcTemplate(before.getBean(javax.sql.DataSource.class));
            old.execute("alter table agw_call drop column refused_by");
            old.execute("alter table agw_call drop column overrun");
            old.update("insert into agw_call (id, call_id, agent_id, created_at, success, cost, priced, latency_ms, "
                    + "input_tokens, output_tokens, attempt) values (-1, 'before', 'old', ?, true, 0.5, true, 1, 1, 1, 1)",
                    java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        }

        try (ConfigurableApplicationContext upgraded = StoreTestApplication.run(properties)) {
            JpaCallHistoryStore store = upgraded.getBean(JpaCallHistoryStore.class);
            store.append(CallRecord.refused(new CallRecord.Origin("after", "old", request("x"), now(), null, null, null, 1),
                    "Agent 'old' is paused", new AgentPausedException("old"), "pause"));

            assertThat(store.find(HistoryQuery.byAgent("old", null))).satisfiesExactly(
                    before -> {
                        assertThat(before.refusedBy()).isNull();
                        assertThat(before.exceededReservation()).isFalse();
                    },
                    after -> assertThat(after.refusedBy()).isEqualTo("pause"));
        }
    }

    @Test
    void queriesFilterByAgentWorkflowTenantSuccessAndTimeOldestFirst() {
        Instant base = now().minusSeconds(600);
        for (int i = 0; i < 12; i++) {
            history.append(call("agent-" + (i % 3), "wf-" + (i % 2), i < 6 ? "acme" : "globex", i % 4 != 3,
                    base.plusSeconds(i)));
        }

        assertThat(history.find(HistoryQuery.byAgent("agent-1", null))).extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(1), base.plusSeconds(4), base.plusSeconds(7), base.plusSeconds(10));
        assertThat(history.find(HistoryQuery.all().withWorkflow("wf-0"))).hasSize(6)
                .allMatch(record -> record.workflowId().equals("wf-0"));
        assertThat(history.find(HistoryQuery.all().withTenant("globex"))).hasSize(6)
                .allMatch(record -> record.tenant().equals("globex"));
        assertThat(history.find(HistoryQuery.all().withSuccess(false))).extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(3), base.plusSeconds(7), base.plusSeconds(11));
        // since is inclusive, until exclusive
        assertThat(history.find(HistoryQuery.all().withSince(base.plusSeconds(2)).withUntil(base.plusSeconds(5))))
                .extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(2), base.plusSeconds(3), base.plusSeconds(4));
        // the newest "limit", oldest first
        assertThat(history.find(HistoryQuery.all().withLimit(3))).extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(9), base.plusSeconds(10), base.plusSeconds(11));
        assertThat(history.find(HistoryQuery.all().withLimit(0))).isEmpty();
        assertThat(history.find(new HistoryQuery("agent-0", "wf-0", "acme", true, null, null, null)))
                .extracting(CallRecord::timestamp).containsExactly(base);
        assertThat(history.count(HistoryQuery.all().withTenant("acme"))).isEqualTo(6);
    }

    @Test
    void historyPagesNewestFirstOrAsSorted() {
        Instant base = now().minusSeconds(600);
        for (int i = 0; i < 25; i++) {
            history.append(call("pager-" + (char) ('a' + i % 5), null, null, true, base.plusSeconds(i)));
        }

        Page<CallRecord> first = history.find(HistoryQuery.all(), PageRequest.of(0, 10));
        assertThat(first.getTotalElements()).isEqualTo(25);
        assertThat(first.getTotalPages()).isEqualTo(3);
        assertThat(first.getContent()).extracting(CallRecord::timestamp).first().isEqualTo(base.plusSeconds(24));
        Page<CallRecord> last = history.find(HistoryQuery.all(), PageRequest.of(2, 10));
        assertThat(last.getContent()).extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(4), base.plusSeconds(3), base.plusSeconds(2), base.plusSeconds(1), base);

        Page<CallRecord> byAgent = history.find(HistoryQuery.all().withSince(base.plusSeconds(10)),
                PageRequest.of(0, 4, Sort.by("agentId", "timestamp")));
        assertThat(byAgent.getTotalElements()).isEqualTo(15);
        assertThat(byAgent.getContent()).extracting(CallRecord::agentId)
                .containsExactly("pager-a", "pager-a", "pager-a", "pager-b");
        assertThat(byAgent.getContent()).extracting(CallRecord::timestamp)
                .containsExactly(base.plusSeconds(10), base.plusSeconds(15), base.plusSeconds(20), base.plusSeconds(11));
    }

    @Test
    void toolCallsAreKeptAndQueried() {
        Instant base = now().minusSeconds(60);
        history.appendToolCall(new ToolCallRecord(base, "researcher", "wf-t", "acme", "call_1", "search",
                "{\"q\":\"jpa\"}", ToolCallOutcome.SUCCESS, "3 hits", 12));
        history.appendToolCall(new ToolCallRecord(base.plusSeconds(1), "researcher", "wf-t", "acme", "call_2", "delete",
                "{}", ToolCallOutcome.DENIED, "Error: not allowed", 0));
        history.appendToolCall(new ToolCallRecord(base.plusSeconds(2), "other", null, null, "call_3", "search", "{}",
                ToolCallOutcome.TIMEOUT, "Error: timed out", 5000));

        assertThat(history.findToolCalls(HistoryQuery.byAgent("researcher", null)))
                .extracting(ToolCallRecord::toolName, ToolCallRecord::outcome, ToolCallRecord::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("search", ToolCallOutcome.SUCCESS, "3 hits"),
                        org.assertj.core.groups.Tuple.tuple("delete", ToolCallOutcome.DENIED, "Error: not allowed"));
        assertThat(history.findToolCalls(HistoryQuery.all().withSuccess(false))).hasSize(2);
        assertThat(history.findToolCalls(HistoryQuery.all().withLimit(1))).singleElement()
                .satisfies(record -> assertThat(record.durationMs()).isEqualTo(5000));
        assertThat(history.findToolCalls(HistoryQuery.all(), PageRequest.of(0, 2)).getTotalElements()).isEqualTo(3);
        assertThat(history.findToolCalls(HistoryQuery.all()).get(0))
                .isEqualTo(new ToolCallRecord(base, "researcher", "wf-t", "acme", "call_1", "search", "{\"q\":\"jpa\"}",
                        ToolCallOutcome.SUCCESS, "3 hits", 12));
    }

    @Test
    void clearForgetsCallsAndToolCalls() {
        history.append(call("gone", null, null, true, now()));
        history.appendToolCall(new ToolCallRecord(now(), "gone", null, null, "c", "t", "{}", ToolCallOutcome.SUCCESS, "ok", 1));
        history.clear();
        assertThat(history.find(HistoryQuery.all())).isEmpty();
        assertThat(history.findToolCalls(HistoryQuery.all())).isEmpty();
    }

    @Test
    void theWriterStoresQueuedRecordsWithoutBeingAsked() {
        history.append(call("background", null, null, true, now()));
        // no query (which would write the queue itself): the writer thread does it within the flush interval
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.queryForObject("select count(*) from agw_call where agent_id = 'background'", Long.class)).isEqualTo(1));
        assertThat(history.queueDepth()).isZero();
    }

    @Test
    void stoppingWritesTheWholeQueueAndLaterRecordsDirectly() {
        JpaCallHistoryStore store = separateStore(1_000, FullQueuePolicy.BLOCK);
        try {
            for (int i = 0; i < 50; i++) {
                store.append(call("shutdown", null, null, true, now()));
            }
            assertThat(store.queueDepth()).isEqualTo(50); // the writer waits for a full batch or an hour
            assertThat(countOf("shutdown")).isZero();

            store.stop();

            assertThat(countOf("shutdown")).isEqualTo(50);
            assertThat(store.queueDepth()).isZero();
            store.append(call("shutdown", null, null, true, now()));
            assertThat(countOf("shutdown")).isEqualTo(51);
        } finally {
            store.destroy();
        }
    }

    @Test
    void aFullQueueDropsAndCountsUnderTheDropPolicy() throws Exception {
        CountDownLatch writerInDatabase = new CountDownLatch(1);
        CountDownLatch databaseFree = new CountDownLatch(1);
        JpaCallHistoryStore store = stallingStore(5, FullQueuePolicy.DROP, writerInDatabase, databaseFree);
        try {
            store.append(call("dropper", null, null, true, now()));
            assertThat(writerInDatabase.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.queueDepth()).isZero(); // the writer holds the first record

            for (int i = 0; i < 8; i++) {
                store.append(call("dropper", null, null, true, now()));
            }
            assertThat(store.droppedCount()).isEqualTo(3);
            assertThat(store.queueDepth()).isEqualTo(5);

            databaseFree.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(countOf("dropper")).isEqualTo(6));
            assertThat(store.writtenCount()).isEqualTo(6);
            assertThat(store.droppedCount()).isEqualTo(3);
        } finally {
            databaseFree.countDown();
            store.destroy();
        }
    }

    @Test
    void aFullQueueBlocksAndLosesNothingUnderTheBlockPolicy() throws Exception {
        JpaCallHistoryStore store = separateStore(8, FullQueuePolicy.BLOCK);
        int threads = 16;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        store.append(call("blocker", null, null, true, now()));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            store.stop();
            assertThat(store.droppedCount()).isZero();
            assertThat(store.failedCount()).isZero();
            assertThat(countOf("blocker")).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
            store.destroy();
        }
    }

    @Test
    void anAppendThatWaitsForRoomIsCounted() throws Exception {
        CountDownLatch writerInDatabase = new CountDownLatch(1);
        CountDownLatch databaseFree = new CountDownLatch(1);
        JpaCallHistoryStore store = stallingStore(2, FullQueuePolicy.BLOCK, writerInDatabase, databaseFree);
        Thread caller = new Thread(() -> {
            for (int i = 0; i < 4; i++) {
                store.append(call("waiter", null, null, true, now()));
            }
        });
        try {
            store.append(call("waiter", null, null, true, now()));
            assertThat(writerInDatabase.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds that one record
            caller.start();
            // two records fit in the queue; the third append waits
            await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.WAITING);
            assertThat(store.blockedCount()).isEqualTo(1);
            assertThat(store.queueDepth()).isEqualTo(2);

            databaseFree.countDown();
            caller.join(TimeUnit.SECONDS.toMillis(30));
            store.flush();
            assertThat(countOf("waiter")).isEqualTo(5);
            assertThat(store.blockedCount()).isBetween(1L, 2L); // the last append may wait too, while the third is written
            assertThat(store.droppedCount()).isZero();
        } finally {
            databaseFree.countDown();
            caller.join(TimeUnit.SECONDS.toMillis(30));
            store.destroy();
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheFlushInterval() {
        GatewayPersistenceProperties.History settings = settings(1_000, FullQueuePolicy.BLOCK, Duration.ofHours(1));
        settings.setBatchSize(10);
        JpaCallHistoryStore store = separateStore(settings, context().getBean(PlatformTransactionManager.class));
        try {
            for (int i = 0; i < 10; i++) {
                store.append(call("batcher", null, null, true, now()));
            }
            // the tenth record makes a full batch and wakes the writer, which would otherwise sleep an hour
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(countOf("batcher")).isEqualTo(10));
            assertThat(store.queueDepth()).isZero();
        } finally {
            store.destroy();
        }
    }

    @Test
    void aRecordTheDatabaseRefusesCostsOnlyItself() {
        JpaCallHistoryStore store = separateStore(1_000, FullQueuePolicy.BLOCK);
        try {
            store.append(call("refusal", null, null, true, now()));
            // agent_id is "not null" in the schema: this record cannot be stored
            store.append(call(null, null, null, true, now()));
            store.appendToolCall(new ToolCallRecord(now(), "refusal", null, null, "c1", "search", "{}",
                    ToolCallOutcome.SUCCESS, "ok", 1));
            store.append(call("refusal", null, null, false, now()));

            store.flush();

            assertThat(countOf("refusal")).isEqualTo(2);
            assertThat(jdbc.queryForObject("select count(*) from agw_tool_call where agent_id = 'refusal'", Long.class))
                    .isEqualTo(1);
            assertThat(store.failedCount()).isEqualTo(1);
            assertThat(store.writtenCount()).isEqualTo(3);
        } finally {
            store.destroy();
        }
    }

    @Test
    void storesOfSeveralInstancesOnOneDatabaseNeverShareAnId() throws Exception {
        try (ConfigurableApplicationContext other = startAnotherInstance()) {
            JpaCallHistoryStore otherHistory = other.getBean(JpaCallHistoryStore.class);
            // a row the other instance's Hibernate wrote (as the store did before it inserted with JDBC)
            long hibernateId = other.getBean(CallRecordRepository.class).save(new CallRecordEntity("by-hibernate", "shared",
                    "mock", "mock-model", null, 1, null, now(), true, null, null, BigDecimal.ZERO, true, 1.0, 0, 0, 1, null,
                    BigDecimal.ZERO, null, null)).getId();
            List<JpaCallHistoryStore> instances = List.of(history, otherHistory);
            int threads = 8;
            int perThread = 150;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    JpaCallHistoryStore store = instances.get(t % 2);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            store.append(call("shared", null, null, true, now()));
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            instances.forEach(JpaCallHistoryStore::flush);

            assertThat(instances).allSatisfy(store -> assertThat(store.failedCount()).isZero());
            assertThat(jdbc.queryForObject("select count(distinct id) from agw_call where agent_id = 'shared'", Long.class))
                    .isEqualTo(threads * perThread + 1);
            assertThat(jdbc.queryForObject("select call_id from agw_call where id = ?", String.class, hibernateId))
                    .isEqualTo("by-hibernate");
        }
    }

    // ---- checkpoints ---------------------------------------------------------------------------

    @Test
    void aCheckpointComesBackAsItWasSaved() {
        ToolCall search = new ToolCall("call_1", "search", "{\"q\":\"jpa\"}");
        ToolCall fetch = new ToolCall("call_2", "fetch", "{\"url\":\"x\"}");
        List<LlmMessage> messages = List.of(LlmMessage.system("research"), LlmMessage.user("find jpa"),
                LlmMessage.assistant(null, List.of(search, fetch)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("topic", "jpa");
        state.put("pages", List.of(1, 2, 3));
        state.put("nested", Map.of("done", true, "score", 0.5));
        ResumableRun run = new ResumableRun("researcher", "openai", "gpt-4o",
                List.of(ToolSpec.of("search", "Searches", Map.of("type", "object", "properties", Map.of()))), 0.2, 512,
                "acme", 10, 2);
        Checkpoint checkpoint = new Checkpoint("wf-cp", 4, "researcher", now(), state,
                Map.of("total_steps", 4, "remaining", Map.of("steps", 6)), messages, List.of(search, fetch),
                Map.of("call_1", "3 hits"), run, false);

        checkpoints.save(checkpoint);

        Checkpoint found = checkpoints.find("wf-cp", 4).orElseThrow();
        assertThat(found).usingRecursiveComparison().ignoringFields("metrics").isEqualTo(checkpoint);
        assertThat(found.metrics()).containsEntry("total_steps", 4).containsEntry("remaining", Map.of("steps", 6));
        assertThat(found.resumable()).isTrue();
        assertThat(dev.agentgateway.core.checkpoint.ResumePoint.of(found).pendingToolCallIds()).containsExactly("call_2");
    }

    @Test
    void checkpointsArePerStepLatestIsTheHighestAndSavesReplace() {
        for (int step = 1; step <= 3; step++) {
            checkpoints.save(checkpoint("wf-a", step, "first " + step));
        }
        checkpoints.save(checkpoint("wf-a", 2, "second 2"));
        checkpoints.save(checkpoint("wf-b", 7, "other"));

        assertThat(checkpoints.list("wf-a")).extracting(Checkpoint::step).containsExactly(1, 2, 3);
        assertThat(checkpoints.find("wf-a", 2).orElseThrow().messages().get(0).content()).isEqualTo("second 2");
        assertThat(checkpoints.latest("wf-a").orElseThrow().step()).isEqualTo(3);
        assertThat(checkpoints.find("wf-a", 9)).isEmpty();
        assertThat(checkpoints.latest("nope")).isEmpty();
        assertThat(checkpoints.list("nope")).isEmpty();

        checkpoints.delete("wf-a");
        assertThat(checkpoints.list("wf-a")).isEmpty();
        assertThat(checkpoints.latest("wf-b")).isPresent();
        checkpoints.clear();
        assertThat(checkpoints.latest("wf-b")).isEmpty();
    }

    // ---- budget ledger -------------------------------------------------------------------------

    @Test
    void aReservationIsHeldThenCommittedOrReleased() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 10, "5.00"), limited(LimitScope.agent("a"), null, null));

        Reservation first = ledger.reserve("a", scopes, new BigDecimal("0.25"));
        assertThat(ledger.usage(LimitScope.global())).satisfies(usage -> {
            assertThat(usage.reservedSteps()).isEqualTo(1);
            assertThat(usage.reservedCost()).isEqualByComparingTo("0.25");
            assertThat(usage.committedSteps()).isZero();
        });

        List<ScopeUsage> after = ledger.commit(first, new BigDecimal("0.1"), 100, 20);
        assertThat(after).extracting(ScopeUsage::scope).containsExactlyInAnyOrder(LimitScope.global(), LimitScope.agent("a"));
        assertThat(after).allSatisfy(usage -> {
            assertThat(usage.committedSteps()).isEqualTo(1);
            assertThat(usage.reservedSteps()).isZero();
            assertThat(usage.committedCost()).isEqualByComparingTo("0.1");
            assertThat(usage.reservedCost()).isEqualByComparingTo("0");
            assertThat(usage.inputTokens()).isEqualTo(100);
            assertThat(usage.outputTokens()).isEqualTo(20);
        });

        Reservation second = ledger.reserve("a", scopes, new BigDecimal("0.25"));
        ledger.release(second, true);
        ScopeUsage agent = ledger.usage(LimitScope.agent("a"));
        assertThat(agent.committedSteps()).isEqualTo(1);
        assertThat(agent.reservedSteps()).isZero();
        assertThat(agent.reservedCost()).isEqualByComparingTo("0");
        assertThat(agent.failedCalls()).isEqualTo(1);
        assertThat(ledger.usages(LimitScope.Type.AGENT)).extracting(ScopeUsage::scope).containsExactly(LimitScope.agent("a"));
        assertThat(ledger.usage(LimitScope.agent("unknown"))).isEqualTo(ScopeUsage.empty(LimitScope.agent("unknown")));
    }

    @Test
    void aRefusedCallCountsAsFailedOnEveryScopeItsRowsExistOrNot() {
        ledger.commit(ledger.reserve("a", List.of(limited(LimitScope.global(), null, null)), BigDecimal.ZERO),
                BigDecimal.ZERO, 0, 0);

        ledger.countFailedCall(List.of(LimitScope.global(), LimitScope.agent("refused-first")));

        assertThat(ledger.usage(LimitScope.global()).failedCalls()).isEqualTo(1);
        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isEqualTo(1);
        assertThat(ledger.usage(LimitScope.agent("refused-first"))).satisfies(usage -> {
            assertThat(usage.failedCalls()).isEqualTo(1);
            assertThat(usage.committedSteps()).isZero();
            assertThat(usage.reservedSteps()).isZero();
        });
    }

    @Test
    void aStepLimitRefusesTheCallWithTheNumbers() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.agent("stepper"), 2, null));
        ledger.reserve("stepper", scopes, BigDecimal.ZERO);
        ledger.commit(ledger.reserve("stepper", scopes, BigDecimal.ZERO), BigDecimal.ZERO, 0, 0);

        assertThatThrownBy(() -> ledger.reserve("stepper", scopes, BigDecimal.ZERO))
                .isInstanceOfSatisfying(StepLimitExceededException.class, refused -> {
                    assertThat(refused.scope()).isEqualTo(LimitScope.agent("stepper"));
                    assertThat(refused.current()).isEqualTo(2L);
                    assertThat(refused.limit()).isEqualTo(2L);
                    assertThat(refused.agentId()).isEqualTo("stepper");
                });
    }

    @Test
    void aBudgetRefusesACallWhoseEstimateDoesNotFit() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.tenant("t"), null, "1.00"));
        Reservation a = ledger.reserve("x", scopes, new BigDecimal("0.4"));
        Reservation b = ledger.reserve("x", scopes, new BigDecimal("0.4"));

        assertThatThrownBy(() -> ledger.reserve("x", scopes, new BigDecimal("0.4")))
                .isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
                    assertThat(refused.scope()).isEqualTo(LimitScope.tenant("t"));
                    assertThat(refused.current()).isEqualByComparingTo("0.8");
                    assertThat(refused.estimate()).isEqualByComparingTo("0.4");
                    assertThat(refused.limit()).isEqualByComparingTo("1.00");
                });

        ledger.commit(a, new BigDecimal("0.05"), 1, 1);
        ledger.commit(b, new BigDecimal("0.05"), 1, 1);
        ledger.reserve("x", scopes, new BigDecimal("0.4")); // fits again: 0.1 spent
        // a budget that is used up refuses even a free call
        List<ScopedLimit> zero = List.of(limited(LimitScope.tenant("broke"), null, "0"));
        assertThatThrownBy(() -> ledger.reserve("x", zero, BigDecimal.ZERO)).isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void aRefusalOnOneScopeReservesNothingOnAnyScope() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), null, null), limited(LimitScope.agent("one"), 1, null),
                limited(LimitScope.workflow("w"), null, null));
        ledger.reserve("one", scopes, new BigDecimal("0.01"));

        assertThatThrownBy(() -> ledger.reserve("one", scopes, new BigDecimal("0.01")))
                .isInstanceOf(StepLimitExceededException.class);
        assertThat(ledger.usage(LimitScope.global()).reservedSteps()).isEqualTo(1);
        assertThat(ledger.usage(LimitScope.workflow("w")).reservedSteps()).isEqualTo(1);
        assertThat(ledger.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0.01");
    }

    @Test
    void stepLimitsAreCheckedOnEveryScopeBeforeBudgets() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), null, "0.10"), limited(LimitScope.agent("both"), 1, null));
        ledger.commit(ledger.reserve("both", scopes, new BigDecimal("0.10")), new BigDecimal("0.10"), 0, 0);

        // both limits are broken now: the step limit is the one reported, as in memory
        assertThatThrownBy(() -> ledger.reserve("both", scopes, new BigDecimal("0.01")))
                .isInstanceOf(StepLimitExceededException.class);
    }

    @Test
    void reservationsKnowTheirStepInTheRun() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), null, null), limited(LimitScope.workflow("run-1"), null, null));
        Reservation first = ledger.reserve("r", scopes, BigDecimal.ZERO);
        Reservation second = ledger.reserve("r", scopes, BigDecimal.ZERO);
        ledger.commit(first, BigDecimal.ZERO, 0, 0);
        Reservation third = ledger.reserve("r", scopes, BigDecimal.ZERO);
        assertThat(List.of(first.runStep(), second.runStep(), third.runStep())).containsExactly(1L, 2L, 3L);
        assertThat(ledger.reserve("r", List.of(limited(LimitScope.global(), null, null)), BigDecimal.ZERO).runStep()).isZero();
    }

    @Test
    void aResetStartsAgainAndIgnoresReservationsFromBefore() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 1, null));
        Reservation old = ledger.reserve("z", scopes, new BigDecimal("0.5"));
        assertThatThrownBy(() -> ledger.reserve("z", scopes, BigDecimal.ZERO)).isInstanceOf(StepLimitExceededException.class);

        ledger.reset();

        assertThat(ledger.usage(LimitScope.global())).isEqualTo(ScopeUsage.empty(LimitScope.global()));
        Reservation fresh = ledger.reserve("z", scopes, BigDecimal.ZERO);
        assertThat(ledger.commit(old, new BigDecimal("0.5"), 1, 1)).isEmpty();
        ledger.release(old, true);
        ScopeUsage global = ledger.usage(LimitScope.global());
        assertThat(global.reservedSteps()).isEqualTo(1);
        assertThat(global.committedSteps()).isZero();
        assertThat(global.failedCalls()).isZero();
        assertThat(fresh.epoch()).isGreaterThan(old.epoch());
    }

    @Test
    void forgettingAScopeDropsItsUsage() {
        List<ScopedLimit> scopes = List.of(limited(LimitScope.workflow("done"), 1, null));
        ledger.commit(ledger.reserve("f", scopes, BigDecimal.ONE), BigDecimal.ONE, 1, 1);
        ledger.forget(LimitScope.workflow("done"));
        assertThat(ledger.usage(LimitScope.workflow("done")).committedSteps()).isZero();
        ledger.reserve("f", scopes, BigDecimal.ONE); // the run's step limit starts again
    }

    @Test
    void tenantBudgetsStartAgainInEachDailyWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2031-03-14T23:59:00Z"));
        GatewayPersistenceProperties.Budget settings = new GatewayPersistenceProperties.Budget();
        settings.setTenantWindow(BudgetWindow.DAILY);
        JpaBudgetLedger daily = ledger(settings, clock);
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), null, null), limited(LimitScope.tenant("daily"), null, "1.00"));

        daily.commit(daily.reserve("d", scopes, new BigDecimal("0.60")), new BigDecimal("0.60"), 1, 1);
        Reservation beforeMidnight = daily.reserve("d", scopes, new BigDecimal("0.40"));
        assertThatThrownBy(() -> daily.reserve("d", scopes, new BigDecimal("0.01"))).isInstanceOf(BudgetExceededException.class);

        clock.advance(Duration.ofMinutes(2)); // 2031-03-15
        assertThat(daily.currentTenantWindow()).isEqualTo("2031-03-15");
        assertThat(daily.usage(LimitScope.tenant("daily")).committedCost()).isEqualByComparingTo("0");
        Reservation afterMidnight = daily.reserve("d", scopes, new BigDecimal("0.90"));
        // settled in the window it was reserved in: the new day keeps its full budget
        daily.commit(beforeMidnight, new BigDecimal("0.40"), 1, 1);
        assertThat(daily.usage(LimitScope.tenant("daily")).reservedCost()).isEqualByComparingTo("0.90");
        daily.commit(afterMidnight, new BigDecimal("0.90"), 1, 1);
        assertThat(daily.usage(LimitScope.tenant("daily")).committedCost()).isEqualByComparingTo("0.90");
        // the global scope has no window
        assertThat(daily.usage(LimitScope.global()).committedCost()).isEqualByComparingTo("1.90");
        assertThat(jdbc.queryForObject("select committed_cost from agw_budget where scope_type = 'TENANT' "
                + "and scope_id = 'daily' and window_key = '2031-03-14'", BigDecimal.class)).isEqualByComparingTo("1.00");

        clock.advance(Duration.ofDays(40));
        assertThat(daily.purgePastWindows(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(2);
    }

    @Test
    void monthlyWindowsAreCalendarMonthsInTheConfiguredZone() {
        MutableClock clock = new MutableClock(Instant.parse("2031-01-31T23:30:00Z"));
        assertThat(BudgetWindow.MONTHLY.currentKey(clock, java.time.ZoneId.of("UTC"))).isEqualTo("2031-01");
        assertThat(BudgetWindow.MONTHLY.currentKey(clock, java.time.ZoneId.of("Europe/Berlin"))).isEqualTo("2031-02");
        assertThat(BudgetWindow.NONE.currentKey(clock, java.time.ZoneId.of("UTC"))).isEqualTo("-");
    }

    @Test
    void concurrentReservationsNeverPassTheLimitsOfTheOneLedger() throws Exception {
        int threads = 12;
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 60, "100"), limited(LimitScope.tenant("busy"), null, "0.45"),
                limited(LimitScope.agent("racer"), null, null));
        BigDecimal cost = new BigDecimal("0.01");
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (true) {
                        Reservation reservation;
                        try {
                            reservation = ledger.reserve("racer", scopes, cost);
                        } catch (ExecutionLimitException e) {
                            refused.incrementAndGet();
                            return null;
                        }
                        ledger.commit(reservation, cost, 1, 1);
                        committed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(committed.get()).isEqualTo(45);
        assertThat(refused.get()).isEqualTo(threads);
        ScopeUsage tenant = ledger.usage(LimitScope.tenant("busy"));
        assertThat(tenant.committedSteps()).isEqualTo(45);
        assertThat(tenant.committedCost()).isEqualByComparingTo("0.45");
        assertThat(tenant.reservedSteps()).isZero();
        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isEqualTo(45);
    }

    // ---- leases --------------------------------------------------------------------------------

    @Test
    void aSliceIsALeaseOnTheLimitedScopeThatNamesItsInstanceAndIsGivenBackAtShutdown() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        JpaBudgetLedger node = ledger("node-a", Duration.ofSeconds(30), clock);
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 10, "5"), limited(LimitScope.agent("leaser"), null, null));

        Reservation reservation = node.reserve("leaser", scopes, new BigDecimal("0.25"));

        // 10 steps leave no sixteenth: a slice of one call; the agent has no limit and so nothing to lease
        assertThat(jdbc.queryForList("select scope_type, instance_id, steps, amount, expires_at from agw_lease"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("scope_type")).isEqualTo("GLOBAL");
                    assertThat(row.get("instance_id")).isEqualTo("node-a");
                    assertThat(((Number) row.get("steps")).longValue()).isEqualTo(1);
                    assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo("0.25");
                    assertThat(instant(row.get("expires_at"))).isEqualTo(Instant.parse("2031-05-01T10:00:30Z"));
                });
        node.commit(reservation, new BigDecimal("0.10"), 1, 1);
        node.flush();
        assertThat(jdbc.queryForMap("select steps, amount from agw_lease")).satisfies(row -> {
            assertThat(((Number) row.get("steps")).longValue()).isZero();
            assertThat((BigDecimal) row.get("amount")).as("the estimate the call did not use").isEqualByComparingTo("0.15");
        });

        node.close();

        assertThat(leaseRows()).isZero();
        ScopeUsage global = ledger.usage(LimitScope.global());
        assertThat(global.committedSteps()).isEqualTo(1);
        assertThat(global.committedCost()).isEqualByComparingTo("0.10");
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void reservationsAreServedFromTheSliceUntilItIsUsedUpThenANewOneIsLeased() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        JpaBudgetLedger node = ledger("node-a", Duration.ofSeconds(30), clock);
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 1000, "100"));

        node.reserve("slicer", scopes, new BigDecimal("0.01"));
        // a sixteenth of 1000 steps (62), and money for as many calls
        assertThat(globalReserved()).containsExactly(62L, new BigDecimal("0.62"));
        for (int call = 2; call <= 62; call++) {
            node.reserve("slicer", scopes, new BigDecimal("0.01"));
        }
        assertThat(globalReserved()).as("61 calls served in memory").containsExactly(62L, new BigDecimal("0.62"));

        node.reserve("slicer", scopes, new BigDecimal("0.01"));

        // the next slice: a sixteenth of the 938 steps left
        assertThat(globalReserved()).containsExactly(62L + 58, new BigDecimal("1.2"));
        assertThat(node.usage(LimitScope.global()).reservedSteps()).as("calls in flight, the unused slice not counted")
                .isEqualTo(63);
    }

    @Test
    void anExpiredLeaseOfADeadInstanceIsGivenBackWhenItWouldRefuseACall() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        JpaBudgetLedger dead = ledger("dead", Duration.ofSeconds(30), clock);
        JpaBudgetLedger survivor = ledger("survivor", Duration.ofSeconds(30), clock);
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 3, "1.00"));
        dead.reserve("gone", scopes, new BigDecimal("0.40")); // its JVM dies during the call: never settled
        survivor.commit(survivor.reserve("alive", scopes, new BigDecimal("0.40")), new BigDecimal("0.40"), 1, 1);

        assertThatThrownBy(() -> survivor.reserve("alive", scopes, new BigDecimal("0.40")))
                .as("the lease still holds").isInstanceOf(BudgetExceededException.class);
        clock.advance(Duration.ofSeconds(31));
        survivor.commit(survivor.reserve("alive", scopes, new BigDecimal("0.40")), new BigDecimal("0.40"), 1, 1);

        ScopeUsage global = survivor.usage(LimitScope.global());
        assertThat(global.committedSteps()).isEqualTo(2);
        assertThat(global.committedCost()).isEqualByComparingTo("0.80");
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(leaseRows()).isZero();
    }

    @Test
    void expiredLeasesAreReclaimedInPassingByTheFirstReservationOfAnInstance() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        ledger("dead", Duration.ofSeconds(30), clock).reserve("gone", List.of(limited(LimitScope.global(), 100, "10"),
                limited(LimitScope.agent("gone"), 100, null)), new BigDecimal("0.40"));
        assertThat(jdbc.queryForList("select instance_id from agw_lease", String.class)).containsOnly("dead").hasSize(2);
        clock.advance(Duration.ofMinutes(5));

        ledger("starting", Duration.ofSeconds(30), clock).reserve("other", List.of(limited(LimitScope.global(), null, null)),
                BigDecimal.ONE);

        assertThat(leaseRows()).isZero();
        assertThat(ledger.usage(LimitScope.agent("gone")).reservedSteps()).isZero();
        assertThat(ledger.usage(LimitScope.global()).reservedSteps()).isZero();
        assertThat(ledger.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void aCallSettledAfterItsLeaseWasReclaimedCountsItsCostOnceAndGivesNothingBackTwice() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        JpaBudgetLedger slow = ledger("slow", Duration.ofSeconds(30), clock);
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), null, "5"));
        Reservation late = slow.reserve("slow", scopes, new BigDecimal("0.30"));
        Reservation failedLate = slow.reserve("slow", scopes, new BigDecimal("0.30"));
        clock.advance(Duration.ofSeconds(31));
        assertThat(ledger("other", Duration.ofSeconds(30), clock).reclaimExpiredLeases()).as("the slow instance's slice")
                .isEqualTo(1);

        slow.commit(late, new BigDecimal("0.20"), 1, 1);
        slow.release(failedLate, true);
        slow.flush();

        ScopeUsage global = ledger.usage(LimitScope.global());
        assertThat(global.committedSteps()).isEqualTo(1);
        assertThat(global.committedCost()).isEqualByComparingTo("0.20");
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.failedCalls()).isEqualTo(1);
    }

    @Test
    void instancesReclaimingAtTheSameTimeGiveEachExpiredLeaseBackExactlyOnce() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-01T10:00:00Z"));
        List<ScopedLimit> scopes = List.of(limited(LimitScope.global(), 10_000, null), limited(LimitScope.tenant("t"), null, "100"),
                limited(LimitScope.agent("gone"), 10_000, "100"));
        for (int i = 0; i < 40; i++) {
            ledger("dead-" + i, Duration.ofSeconds(30), clock).reserve("gone", scopes, new BigDecimal("0.01")); // a slice on each scope
        }
        clock.advance(Duration.ofMinutes(1));
        int reclaimers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(reclaimers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> reclaimed = new ArrayList<>();
            for (int i = 0; i < reclaimers; i++) {
                JpaBudgetLedger instance = ledger("reclaimer-" + i, Duration.ofSeconds(30), clock);
                reclaimed.add(pool.submit(() -> {
                    go.await();
                    return instance.reclaimExpiredLeases();
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> count : reclaimed) {
                total += count.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
        for (LimitScope scope : List.of(LimitScope.global(), LimitScope.tenant("t"), LimitScope.agent("gone"))) {
            ScopeUsage usage = ledger.usage(scope);
            assertThat(usage.reservedSteps()).as("%s", scope).isZero();
            assertThat(usage.reservedCost()).as("%s", scope).isEqualByComparingTo("0");
        }
        assertThat(leaseRows()).isZero();
    }

    @Test
    void aResetEndsEveryLease() {
        ledger.reserve("r", List.of(limited(LimitScope.global(), 10, null)), BigDecimal.ONE);
        assertThat(leaseRows()).isEqualTo(1);

        ledger.reset();

        assertThat(leaseRows()).isZero();
    }

    // ---- retention -----------------------------------------------------------------------------

    @Test
    void retentionPurgesHistoryOlderThanTheMaximumAge() {
        Instant now = now();
        for (int i = 0; i < 7; i++) {
            history.append(call("aged", null, null, true, now.minus(Duration.ofDays(40)).plusSeconds(i)));
            history.appendToolCall(new ToolCallRecord(now.minus(Duration.ofDays(40)), "aged", null, null, "c" + i, "t", "{}",
                    ToolCallOutcome.SUCCESS, "ok", 1));
        }
        history.append(call("aged", null, null, true, now.minus(Duration.ofDays(1))));
        history.flush();

        GatewayPersistenceProperties.Retention settings = new GatewayPersistenceProperties.Retention();
        settings.setMaxAge(Duration.ofDays(30));
        settings.setChunkSize(3);
        HistoryRetention retention = retention(settings, java.time.Clock.systemUTC());
        HistoryRetention.PurgeResult result = retention.purge();

        assertThat(result.calls()).isEqualTo(7);
        assertThat(result.toolCalls()).isEqualTo(7);
        assertThat(history.find(HistoryQuery.byAgent("aged", null))).singleElement()
                .satisfies(record -> assertThat(record.timestamp()).isEqualTo(now.minus(Duration.ofDays(1))));
        assertThat(history.findToolCalls(HistoryQuery.all())).isEmpty();
    }

    @Test
    void retentionRunsOnItsSchedule() {
        history.append(call("scheduled", null, null, true, now().minus(Duration.ofDays(2))));
        history.flush();
        GatewayPersistenceProperties.Retention settings = new GatewayPersistenceProperties.Retention();
        settings.setMaxAge(Duration.ofDays(1));
        settings.setPurgeCron("* * * * * *");
        HistoryRetention retention = retention(settings, java.time.Clock.systemUTC());
        retention.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> retention.lastPurge() != null);
            assertThat(countOf("scheduled")).isZero();
        } finally {
            retention.stop();
        }
        assertThat(retention.isRunning()).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private HistoryRetention retention(GatewayPersistenceProperties.Retention settings, java.time.Clock clock) {
        return new HistoryRetention(context().getBean(CallRecordRepository.class), context().getBean(ToolCallRecordRepository.class),
                ledger, context().getBean(PlatformTransactionManager.class),
                PersistenceSettingsMapper.retention(settings), clock);
    }

    /** A store of its own whose writer waits an hour, so that only a full batch, a query or shutdown writes. */
    private JpaCallHistoryStore separateStore(int capacity, FullQueuePolicy policy) {
        return separateStore(capacity, policy, Duration.ofHours(1), context().getBean(PlatformTransactionManager.class));
    }

    private JpaCallHistoryStore separateStore(int capacity, FullQueuePolicy policy, Duration flushInterval,
                                              PlatformTransactionManager transactionManager) {
        return separateStore(settings(capacity, policy, flushInterval), transactionManager);
    }

    /**
     * A store of its own whose writer thread hangs in its first transaction, as on a database that
     * stopped answering: {@code writerInDatabase} opens when it is there, {@code databaseFree} lets it go on.
     */
    private JpaCallHistoryStore stallingStore(int capacity, FullQueuePolicy policy, CountDownLatch writerInDatabase,
                                              CountDownLatch databaseFree) {
        PlatformTransactionManager stalling = new StallingTransactionManager(
                context().getBean(PlatformTransactionManager.class), writerInDatabase, databaseFree);
        return separateStore(capacity, policy, Duration.ofMillis(10), stalling);
    }

    private static GatewayPersistenceProperties.History settings(int capacity, FullQueuePolicy policy, Duration flushInterval) {
        GatewayPersistenceProperties.History settings = new GatewayPersistenceProperties.History();
        settings.setQueueCapacity(capacity);
        settings.setBatchSize(10_000);
        settings.setFlushInterval(flushInterval);
        settings.setFullQueuePolicy(policy);
        return settings;
    }

    private JpaCallHistoryStore separateStore(GatewayPersistenceProperties.History settings,
                                              PlatformTransactionManager transactionManager) {
        ConfigurableApplicationContext context = context();
        return new JpaCallHistoryStore(context.getBean(CallRecordRepository.class), context.getBean(ToolCallRecordRepository.class),
                context.getBean(javax.sql.DataSource.class), transactionManager, context.getBean(EntityManagerFactory.class),
                PersistenceSettingsMapper.history(settings));
    }

    /** Makes the history writer thread wait in its first transaction until the test lets it go. */
    private record StallingTransactionManager(PlatformTransactionManager delegate, CountDownLatch entered,
                                              CountDownLatch release) implements PlatformTransactionManager {

        @Override
        public org.springframework.transaction.TransactionStatus getTransaction(
                org.springframework.transaction.TransactionDefinition definition) {
            if (Thread.currentThread().getName().equals("agent-gateway-history-writer")) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.getTransaction(definition);
        }

        @Override
        public void commit(org.springframework.transaction.TransactionStatus status) {
            delegate.commit(status);
        }

        @Override
        public void rollback(org.springframework.transaction.TransactionStatus status) {
            delegate.rollback(status);
        }
    }

    /** A ledger of another instance on the same database, with its own clock. */
    private JpaBudgetLedger ledger(String instanceId, Duration leaseTime, java.time.Clock clock) {
        GatewayPersistenceProperties.Budget settings = new GatewayPersistenceProperties.Budget();
        settings.setInstanceId(instanceId);
        settings.setLeaseTime(leaseTime);
        return ledger(settings, clock);
    }

    private JpaBudgetLedger ledger(GatewayPersistenceProperties.Budget settings, java.time.Clock clock) {
        // no background writer: an instance of the test writes when it goes to the database, as a dead one never does
        settings.setWriteInterval(Duration.ZERO);
        ConfigurableApplicationContext context = context();
        return new JpaBudgetLedger(context.getBean(BudgetRepository.class), context.getBean(LedgerEpochRepository.class),
                context.getBean(LeaseRepository.class), context.getBean(PlatformTransactionManager.class),
                PersistenceSettingsMapper.budget(settings), Duration.ofSeconds(60), clock);
    }

    /** The global row's reserved steps and cost, as the database has them. */
    private List<Object> globalReserved() {
        Map<String, Object> row = jdbc.queryForMap("select reserved_steps, reserved_cost from agw_budget where scope_type = 'GLOBAL'");
        return List.of(((Number) row.get("reserved_steps")).longValue(), ((BigDecimal) row.get("reserved_cost")).stripTrailingZeros());
    }

    private long leaseRows() {
        return jdbc.queryForObject("select count(*) from agw_lease", Long.class);
    }

    private static Instant instant(Object timestamp) {
        if (timestamp instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (timestamp instanceof java.sql.Timestamp sql) {
            return sql.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + timestamp.getClass());
    }

    private long countOf(String agentId) {
        return jdbc.queryForObject("select count(*) from agw_call where agent_id = ?", Long.class, agentId);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ScopedLimit limited(LimitScope scope, Integer maxSteps, String maxBudget) {
        return new ScopedLimit(scope, ScopeLimits.of(maxSteps, maxBudget == null ? null : new BigDecimal(maxBudget)));
    }

    private static LlmRequest request(String prompt) {
        return new LlmRequest("mock", "mock-model", List.of(LlmMessage.user(prompt)), List.of(), null, null);
    }

    static CallRecord call(String agentId, String workflowId, String tenant, boolean success, Instant at) {
        LlmResponse response = success
                ? new LlmResponse("answer", List.of(), 10, 5, new BigDecimal("0.0015"), "mock-model", "mock", 7, "stop")
                : null;
        CallRecord.Origin origin = new CallRecord.Origin("call-" + SEQUENCE.incrementAndGet(), agentId, request("question"), at,
                workflowId, 1, tenant, 1);
        return success ? CallRecord.success(origin, response, true, 7.0)
                : CallRecord.failure(origin, "failed", new ProviderException("mock", "failed"), 7.0);
    }

    private static Checkpoint checkpoint(String workflowId, int step, String text) {
        return new Checkpoint(workflowId, step, "agent", now(), Map.of(), Map.of(), List.of(LlmMessage.user(text)), List.of(),
                Map.of(), null, false);
    }
}
