package dev.agentgateway.spring.hook;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** Finds {@link BeforeLlmCall} and {@link AfterLlmCall} methods on beans as they are created. */
public class HookMethodPostProcessor implements BeanPostProcessor {

    private final HookMethods hooks;

    public HookMethodPostProcessor(HookMethods hooks) {
        this.hooks = hooks;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (type.getName().startsWith("org.springframework.")) {
            return bean;
        }
        MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Boolean>) method ->
                AnnotatedElementUtils.hasAnnotation(method, BeforeLlmCall.class) ? Boolean.TRUE : null)
                .keySet().forEach(method -> hooks.addBefore(bean, AopUtils.selectInvocableMethod(method, bean.getClass())));
        MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Boolean>) method ->
                AnnotatedElementUtils.hasAnnotation(method, AfterLlmCall.class) ? Boolean.TRUE : null)
                .keySet().forEach(method -> hooks.addAfter(bean, AopUtils.selectInvocableMethod(method, bean.getClass())));
        return bean;
    }
}
