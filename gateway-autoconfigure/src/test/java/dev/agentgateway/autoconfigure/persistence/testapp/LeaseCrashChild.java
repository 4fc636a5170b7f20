package dev.agentgateway.autoconfigure.persistence.testapp;

import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of the lease crash test: a gateway on the shared ledger of the database given as
 * its arguments (URL, user, password, and the global step limit), with a provider whose calls cost exactly {@link #COST}. Its first
 * {@link #COMPLETED_CALLS} calls finish; in the next one the provider never answers (it prints
 * {@code IN CALL} first), so the JVM is killed with that call's reservation held.
 */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "lease-crash")
@SpringBootConfiguration
@EnableAutoConfiguration
public class LeaseCrashChild {

    public static final BigDecimal COST = new BigDecimal("0.10");
    public static final int COMPLETED_CALLS = 3;
    public static final String INSTANCE_ID = "doomed";
    public static final String LEASE_TIME = "30s";
    public static final java.time.Duration WRITE_INTERVAL = java.time.Duration.ofMillis(100);

    /** The limits every gateway of the test enforces together: a global step limit, and money for every step. */
    public static ExecutionLimits limits(int maxSteps) {
        return ExecutionLimits.builder().maxSteps(maxSteps).maxBudget(COST.multiply(BigDecimal.valueOf(maxSteps))).build();
    }

    /** A provider whose calls cost exactly {@link #COST} and say so up front; {@code hang} decides whether a call never answers. */
    public static LlmClient exact(java.util.function.IntPredicate hang) {
        AtomicInteger calls = new AtomicInteger();
        return new LlmClient() {
            @Override
            public LlmResponse complete(LlmRequest request) {
                if (hang.test(calls.incrementAndGet())) {
                    System.out.println("IN CALL");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE); // still waiting for the provider when the JVM dies
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new LlmResponse("ok", List.of(), 10, 5, COST, request.model(), request.provider(), 0, "stop");
            }

            @Override
            public Optional<BigDecimal> estimateCost(LlmRequest request) {
                return Optional.of(COST);
            }
        };
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LeaseCrashChild.class)
                .web(WebApplicationType.NONE)
                .properties(TestApplications.select("lease-crash"), "spring.datasource.url=" + args[0],
                        "spring.datasource.username=" + args[1], "spring.datasource.password=" + args[2],
                        "spring.main.banner-mode=off", "agent-gateway.jdbc.initialize-schema=always",
                        "agent-gateway.persistence.retention.enabled=false",
                        "agent-gateway.persistence.budget.instance-id=" + INSTANCE_ID,
                        "agent-gateway.persistence.budget.lease-time=" + LEASE_TIME,
                        "agent-gateway.persistence.budget.write-interval=" + WRITE_INTERVAL.toMillis() + "ms")
                .run();
        Gateway gateway = Gateway.builder().limits(limits(Integer.parseInt(args[3]))).budgetLedger(context.getBean(JpaBudgetLedger.class))
                .provider("exact", exact(call -> call > COMPLETED_CALLS)).build();
        for (int call = 1; ; call++) {
            gateway.call(GatewayCall.builder().agentId("doomed-agent").provider("exact").model("m").user("go").build());
            System.out.println("DONE " + call);
            System.out.flush();
        }
    }
}
