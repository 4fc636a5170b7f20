package dev.agentgateway.spring.tool;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Finds {@link Tool} methods (and Spring AI's own {@code @Tool} methods) on every bean and
 * registers them in the {@link ToolRegistry}. A duplicate name fails start-up.
 */
public class ToolMethodPostProcessor implements BeanPostProcessor {

    private static final String SPRING_AI_TOOL = "org.springframework.ai.tool.annotation.Tool";

    private final ToolRegistry registry;
    private final Class<? extends java.lang.annotation.Annotation> springAiTool;

    @SuppressWarnings("unchecked")
    public ToolMethodPostProcessor(ToolRegistry registry) {
        this.registry = registry;
        this.springAiTool = ClassUtils.isPresent(SPRING_AI_TOOL, getClass().getClassLoader())
                ? (Class<? extends java.lang.annotation.Annotation>) ClassUtils.resolveClassName(SPRING_AI_TOOL, getClass().getClassLoader())
                : null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (type.getName().startsWith("org.springframework.")) {
            return bean;
        }
        Map<Method, Object> found = MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Object>) method -> {
            Tool ours = AnnotatedElementUtils.findMergedAnnotation(method, Tool.class);
            if (ours != null) {
                return ours;
            }
            return springAiTool == null ? null : AnnotatedElementUtils.findMergedAnnotation(method, springAiTool);
        });
        found.forEach((method, annotation) -> {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            ReflectionUtils.makeAccessible(invocable);
            if (annotation instanceof Tool tool) {
                registry.register(beanName, bean, invocable, tool.name(), tool.description());
            } else {
                org.springframework.ai.tool.annotation.Tool tool = (org.springframework.ai.tool.annotation.Tool) annotation;
                registry.register(beanName, bean, invocable, tool.name(), tool.description());
            }
        });
        return bean;
    }
}
