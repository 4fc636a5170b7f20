package dev.agentgateway.spring.hook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated bean method before every LLM call the gateway lets through: the seed's
 * {@code on_before_call}. The method may take a {@link dev.agentgateway.core.CallContext} and/or
 * an {@link dev.agentgateway.core.provider.LlmRequest}; throwing vetoes the call.
 * Order several with {@link org.springframework.core.annotation.Order} on the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BeforeLlmCall {
}
