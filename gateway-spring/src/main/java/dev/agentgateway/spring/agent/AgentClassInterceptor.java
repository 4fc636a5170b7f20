package dev.agentgateway.spring.agent;

import dev.agentgateway.core.GatewayContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Around every method of an {@link Agent} class: gateway calls made meanwhile on this thread that
 * do not name an agent count for this one, and for the caller's tenant as {@code @Agent} interfaces
 * find it ({@link AgentCaller}: the {@code GatewayContext}'s, else {@code agent-gateway.tenant.*});
 * when a tenant is required and none is found the method is refused before it runs
 * ({@link UnresolvedTenantException}), so none of its calls escapes its tenant's limits.
 */
public final class AgentClassInterceptor implements MethodInterceptor {

    private final Map<Class<?>, String> agentIds = new ConcurrentHashMap<>();
    private final Supplier<AgentCaller> caller;

    /** Without tenant resolution: calls count for the tenant of the thread's {@code GatewayContext}, if any. */
    public AgentClassInterceptor() {
        this(() -> AgentCaller.of(null, TenantSettings.none()));
    }

    /** @param caller how the caller's tenant is found; asked on each call (it may look up beans lazily) */
    public AgentClassInterceptor(Supplier<AgentCaller> caller) {
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> type = AopUtils.getTargetClass(invocation.getThis());
        String agentId = agentIds.computeIfAbsent(type, AgentClassInterceptor::agentIdOf);
        GatewayContext previous = GatewayContext.current();
        if (agentId.equals(previous.agentId())) {
            return invocation.proceed();
        }
        GatewayContext context = new GatewayContext(agentId, null, caller.get().tenant(agentId, null));
        Throwable[] failure = new Throwable[1];
        Object result = context.call(() -> {
            try {
                return invocation.proceed();
            } catch (Throwable e) {
                failure[0] = e;
                return null;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return result;
    }

    private static String agentIdOf(Class<?> type) {
        Agent agent = AnnotatedElementUtils.findMergedAnnotation(type, Agent.class);
        return agent == null || agent.value().isBlank() ? AgentDefinition.defaultId(type) : agent.value();
    }
}
