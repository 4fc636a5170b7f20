package dev.agentgateway.spring.agent;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an agent.
 * <ul>
 * <li>On an <b>interface</b> (in the application's packages): the starter makes a bean of it;
 * each method call runs a governed tool-calling conversation as this agent and returns the
 * answer as {@code String}, {@link dev.agentgateway.core.provider.LlmResponse}, or a record/POJO
 * parsed from the model's JSON.</li>
 * <li>On a <b>class</b>: the class is a component, and every gateway call made while one of its
 * methods runs counts for this agent and is governed by its limits.</li>
 * </ul>
 * Every attribute can be overridden with {@code agent-gateway.agents.<id>.*}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface Agent {

    /** The agent id, also its bean name; defaults to the type's simple name, decapitalized. */
    @AliasFor(annotation = Component.class)
    String value() default "";

    /** Provider id; defaults to {@code agent-gateway.default-provider}. */
    String provider() default "";

    /** Model; defaults to {@code agent-gateway.default-model}, then to the provider's default. */
    String model() default "";

    /** System prompt. */
    String systemPrompt() default "";

    /**
     * Names of the tools this agent is offered. Listing a tool grants nothing: it is offered (and
     * run) only when the tool access configuration permits it for this agent
     * ({@code agent-gateway.tool-access.*}, {@code agent-gateway.agents.<id>.allowed-tools}).
     */
    String[] tools() default {};

    /** LLM calls this agent may make; negative means no agent-specific limit. */
    int maxSteps() default -1;

    /** USD this agent may spend, e.g. {@code "0.50"}; empty means no agent-specific limit. */
    String maxBudget() default "";

    /** Iterations of one tool-calling run; negative means {@code agent-gateway.tool-execution.max-iterations}. */
    int maxIterations() default -1;

    /** Sampling temperature; negative means the provider's default. */
    double temperature() default -1;

    /** Maximum output tokens of one call; negative means the provider's default. */
    int maxTokens() default -1;
}
