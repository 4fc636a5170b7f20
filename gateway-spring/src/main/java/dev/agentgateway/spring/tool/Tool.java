package dev.agentgateway.spring.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method a tool agents can call. The JSON schema of its arguments is generated
 * from the parameters (describe them with Spring AI's {@code @ToolParam}); arguments are bound
 * with Jackson. Tool names must be unique in the application.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Tool {

    /** The tool's name; defaults to the method name. */
    String name() default "";

    /** What the tool does, for the model. */
    String description() default "";
}
