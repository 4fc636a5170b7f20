package dev.agentgateway.spring.agent;

import dev.agentgateway.core.GatewayContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Around every method of an {@link Agent} class: gateway calls made meanwhile on this thread that
 * do not name an agent count for this one.
 */
public final class AgentClassInterceptor implements MethodInterceptor {

    private final Map<Class<?>, GatewayContext> contexts = new ConcurrentHashMap<>();

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> type = AopUtils.getTargetClass(invocation.getThis());
        GatewayContext context = contexts.computeIfAbsent(type, AgentClassInterceptor::contextOf);
        GatewayContext previous = GatewayContext.current();
        if (context.agentId().equals(previous.agentId())) {
            return invocation.proceed();
        }
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

    private static GatewayContext contextOf(Class<?> type) {
        Agent agent = AnnotatedElementUtils.findMergedAnnotation(type, Agent.class);
        String id = agent == null || agent.value().isBlank() ? AgentDefinition.defaultId(type) : agent.value();
        return new GatewayContext(id, null, null);
    }
}
