package dev.agentgateway.spring.tool;

import dev.agentgateway.core.provider.ToolSpec;

import java.lang.reflect.Method;

/** A tool found on a bean: its spec and where it runs. */
public record RegisteredTool(ToolSpec spec, String beanName, Object bean, Method method) {

    public String name() {
        return spec.name();
    }

    /** {@code beanName.method}, for messages. */
    public String origin() {
        return beanName + "." + method.getName();
    }
}
