package dev.agentgateway.spring.hook;

import dev.agentgateway.core.AfterCallHook;
import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.OrderUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link BeforeLlmCall} and {@link AfterLlmCall} methods of the application, exposed to the
 * gateway as one before-hook and one after-hook. Methods are found as beans are created, so the
 * hooks look them up at call time.
 */
public class HookMethods implements BeforeCallHook, AfterCallHook {

    private record HookMethod(Object bean, Method method, int order) {

        void invoke(CallContext context, LlmResponse response) {
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                args[i] = types[i] == CallContext.class ? context
                        : types[i] == LlmRequest.class ? context.request()
                        : types[i] == LlmResponse.class ? response
                        : types[i] == String.class ? context.agentId() : null;
            }
            try {
                method.invoke(bean, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("Hook " + method + " failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Hook " + method + " is not accessible", e);
            }
        }
    }

    private static final Comparator<HookMethod> BY_ORDER = Comparator.comparingInt(HookMethod::order);

    private final List<HookMethod> before = new CopyOnWriteArrayList<>();
    private final List<HookMethod> after = new CopyOnWriteArrayList<>();

    void addBefore(Object bean, Method method) {
        add(before, new HookMethod(bean, checked(method, false), orderOf(bean, method)));
    }

    void addAfter(Object bean, Method method) {
        add(after, new HookMethod(bean, checked(method, true), orderOf(bean, method)));
    }

    public int size() {
        return before.size() + after.size();
    }

    @Override
    public void beforeCall(CallContext context) {
        for (HookMethod hook : before) {
            hook.invoke(context, null);
        }
    }

    @Override
    public void afterCall(CallContext context, LlmResponse response) {
        for (HookMethod hook : after) {
            hook.invoke(context, response);
        }
    }

    private static synchronized void add(List<HookMethod> hooks, HookMethod hook) {
        List<HookMethod> sorted = new ArrayList<>(hooks);
        sorted.add(hook);
        sorted.sort(BY_ORDER);
        hooks.clear();
        hooks.addAll(sorted);
    }

    private static Method checked(Method method, boolean responseAllowed) {
        for (Class<?> type : method.getParameterTypes()) {
            boolean supported = type == CallContext.class || type == LlmRequest.class || type == String.class
                    || (responseAllowed && type == LlmResponse.class);
            if (!supported) {
                throw new IllegalStateException("Hook method " + method + " has a parameter of type " + type.getName()
                        + "; supported: CallContext, LlmRequest, String (agent id)" + (responseAllowed ? ", LlmResponse" : ""));
            }
        }
        method.setAccessible(true);
        return method;
    }

    private static int orderOf(Object bean, Method method) {
        Integer onMethod = OrderUtils.getOrder(method);
        if (onMethod != null) {
            return onMethod;
        }
        Integer onBean = AnnotationAwareOrderComparator.INSTANCE.getPriority(bean);
        return onBean != null ? onBean : Ordered.LOWEST_PRECEDENCE;
    }
}
