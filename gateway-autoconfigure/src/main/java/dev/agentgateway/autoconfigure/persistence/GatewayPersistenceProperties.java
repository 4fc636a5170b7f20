package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.BudgetWindow;
import dev.agentgateway.spring.persistence.FullQueuePolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.ZoneId;

/**
 * Persistence of the call history, checkpoints and the budget ledger in the application's
 * database with Spring Data JPA, under {@code agent-gateway.persistence}.
 */
@ConfigurationProperties(prefix = "agent-gateway.persistence")
@Validated
public class GatewayPersistenceProperties {

    /**
     * Whether call history, checkpoints and the budget ledger are kept in the application's
     * database when it has a DataSource and JPA. When false they stay in memory.
     */
    private boolean enabled = true;

    /** Asynchronous, batched writing of the call history. */
    @Valid
    private final History history = new History();

    /** Purge of old call history. */
    @Valid
    private final Retention retention = new Retention();

    /** The shared budget ledger. */
    @Valid
    private final Budget budget = new Budget();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public History getHistory() {
        return history;
    }

    public Retention getRetention() {
        return retention;
    }

    public Budget getBudget() {
        return budget;
    }

    /** Asynchronous, batched writing of the call history. */
    public static class History {

        /** Records waiting to be written at most; what happens beyond is the full-queue policy. */
        @Min(1)
        private int queueCapacity = 10_000;

        /** Records written in one transaction at most. */
        @Min(1)
        private int batchSize = 200;

        /** Longest time a record waits in the queue before it is written (sooner when a batch is full). */
        @NotNull
        private Duration flushInterval = Duration.ofMillis(500);

        /** What a write does when the queue is full: "block" the caller until there is room, or "drop" the record and count it. */
        @NotNull
        private FullQueuePolicy fullQueuePolicy = FullQueuePolicy.BLOCK;

        /** How long shutdown waits for the queue to be written. */
        @NotNull
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        /** Whether the request and response of every call are stored as JSON (false keeps only the figures). */
        private boolean storePayloads = true;

        /** Records returned at most by a history query without a limit. */
        @Min(1)
        private int maxQueryResults = 10_000;

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }

        public FullQueuePolicy getFullQueuePolicy() {
            return fullQueuePolicy;
        }

        public void setFullQueuePolicy(FullQueuePolicy fullQueuePolicy) {
            this.fullQueuePolicy = fullQueuePolicy;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public boolean isStorePayloads() {
            return storePayloads;
        }

        public void setStorePayloads(boolean storePayloads) {
            this.storePayloads = storePayloads;
        }

        public int getMaxQueryResults() {
            return maxQueryResults;
        }

        public void setMaxQueryResults(int maxQueryResults) {
            this.maxQueryResults = maxQueryResults;
        }
    }

    /** Purge of old call history. */
    public static class Retention {

        /** Whether history older than max-age is purged on the purge schedule. */
        private boolean enabled = true;

        /** Age beyond which calls and tool calls are deleted from the history. */
        @NotNull
        private Duration maxAge = Duration.ofDays(30);

        /** When the purge runs: a Spring cron expression (second, minute, hour, day, month, weekday). Hourly by default. */
        @NotNull
        private String purgeCron = "0 0 * * * *";

        /** Rows deleted per transaction by the purge. */
        @Min(1)
        private int chunkSize = 1_000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public String getPurgeCron() {
            return purgeCron;
        }

        public void setPurgeCron(String purgeCron) {
            this.purgeCron = purgeCron;
        }

        public int getChunkSize() {
            return chunkSize;
        }

        public void setChunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
        }
    }

    /** The shared budget ledger. */
    public static class Budget {

        /** When tenant budgets start again from zero: "none" (never), "daily" or "monthly". */
        @NotNull
        private BudgetWindow tenantWindow = BudgetWindow.NONE;

        /** Time zone in which daily and monthly tenant windows begin. */
        @NotNull
        private ZoneId windowZone = ZoneId.of("UTC");

        /** How often a reservation is tried again when concurrent changes keep it from deciding. */
        @Min(1)
        private int maxReserveAttempts = 10;

        /**
         * How long the reservation of a call, or a slice of a scope's budget, stays held when its
         * instance dies; after that, any instance gives it back. A live instance renews its slices.
         * Must exceed the longest call. When not set: the
         * longest provider time-out ("agent-gateway.providers.*.timeout", 60s when none is longer)
         * plus one minute.
         */
        @DurationMin(millis = 1)
        private Duration leaseTime;

        /**
         * Name of this instance in the leases it takes on the shared ledger (table agw_lease), for
         * operators. When not set: the JVM's "pid@host".
         */
        private String instanceId;

        /**
         * The most calls one slice may serve: an instance leases a slice of a scope's remaining
         * steps and budget (at most a sixteenth of what is left, and at least one call) and serves
         * reservations from it in memory, topping it up ahead of time when it is half used. 1 takes
         * every call's reservation from the database.
         */
        @Min(1)
        private int maxSliceCalls = 10_000;

        /**
         * How often an instance writes the usage of settled calls to the shared ledger, renews the
         * leases of its slices and gives back what another instance was refused for. A JVM that is
         * killed loses at most this much of its settled usage. Zero: no background writer (usage is
         * written when the ledger next goes to the database, and at shutdown).
         */
        @NotNull
        private Duration writeInterval = Duration.ofMillis(100);

        /** A slice unused for this long is given back. */
        @NotNull
        @DurationMin(millis = 1)
        private Duration sliceIdleTime = Duration.ofSeconds(2);

        public BudgetWindow getTenantWindow() {
            return tenantWindow;
        }

        public void setTenantWindow(BudgetWindow tenantWindow) {
            this.tenantWindow = tenantWindow;
        }

        public ZoneId getWindowZone() {
            return windowZone;
        }

        public void setWindowZone(ZoneId windowZone) {
            this.windowZone = windowZone;
        }

        public int getMaxReserveAttempts() {
            return maxReserveAttempts;
        }

        public Duration getLeaseTime() {
            return leaseTime;
        }

        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = leaseTime;
        }

        public String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(String instanceId) {
            this.instanceId = instanceId;
        }

        public void setMaxReserveAttempts(int maxReserveAttempts) {
            this.maxReserveAttempts = maxReserveAttempts;
        }

        public int getMaxSliceCalls() {
            return maxSliceCalls;
        }

        public void setMaxSliceCalls(int maxSliceCalls) {
            this.maxSliceCalls = maxSliceCalls;
        }

        public Duration getWriteInterval() {
            return writeInterval;
        }

        public void setWriteInterval(Duration writeInterval) {
            this.writeInterval = writeInterval;
        }

        public Duration getSliceIdleTime() {
            return sliceIdleTime;
        }

        public void setSliceIdleTime(Duration sliceIdleTime) {
            this.sliceIdleTime = sliceIdleTime;
        }
    }
}
