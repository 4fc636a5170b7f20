package dev.agentgateway.spring.hook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated bean method after every successful LLM call: the seed's
 * {@code on_after_call}. The method may take a {@link dev.agentgateway.core.CallContext}, an
 * {@link dev.agentgateway.core.provider.LlmRequest} and an
 * {@link dev.agentgateway.core.provider.LlmResponse}, in any order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AfterLlmCall {
}
