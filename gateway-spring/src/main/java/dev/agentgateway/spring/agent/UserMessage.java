package dev.agentgateway.spring.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The user message of an {@link Agent} interface method, with {@code {name}} (parameter name) or
 * {@code {0}} (position) placeholders. Without it, the single argument is the message.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UserMessage {

    String value();
}
