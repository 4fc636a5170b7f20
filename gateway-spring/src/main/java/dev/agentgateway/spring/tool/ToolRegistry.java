package dev.agentgateway.spring.tool;

import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.UnknownToolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.method.MethodToolCallback;
import org.springframework.ai.util.json.schema.JsonSchemaGenerator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tool of the application, by name, and the {@link ToolExecutor} that runs them: {@link Tool}
 * methods (and Spring AI's {@code @Tool} methods), Spring AI {@link ToolCallback} beans, and the
 * callbacks of {@link ToolCallbackProvider} beans (MCP clients' tools arrive this way). All of them
 * are offered, permitted, rate-limited, timed out, recorded and checkpointed by name, the same way.
 * A name that two sources declare stops start-up ({@link DuplicateToolNameException}).
 * <p>
 * Callback beans are read once, when the application has started (an MCP server's tools are the
 * ones it listed then).
 */
public class ToolRegistry implements ToolExecutor, BeanFactoryAware, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);
    private static final TypeReference<Map<String, Object>> SCHEMA = new TypeReference<>() {
    };
    // Spring AI's MCP callbacks turn a ToolContext into the request's _meta: the run's identity
    // (the principal above all) must not leave the application for a remote server
    private static final String MCP_PACKAGE = "org.springframework.ai.mcp.";

    private final Map<String, RegisteredTool> tools = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private volatile ListableBeanFactory beanFactory;
    private volatile boolean callbacksLoaded;

    public ToolRegistry() {
        this(JsonMapper.builder().build());
    }

    public ToolRegistry(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ListableBeanFactory listable ? listable : null;
    }

    /** Reads the callback beans at start-up, so that a name clash stops it. */
    @Override
    public void afterSingletonsInstantiated() {
        loadCallbacks();
    }

    /**
     * Registers {@code method} of {@code bean} as a tool.
     *
     * @throws DuplicateToolNameException when another source already has that tool name
     */
    public RegisteredTool register(String beanName, Object bean, Method method, String name, String description) {
        String toolName = name == null || name.isBlank() ? method.getName() : name;
        ToolSpec spec = ToolSpec.of(toolName, description, schemaOf(method));
        return add(new RegisteredTool(spec, beanName + "." + method.getName(), new MethodInvoker(bean, method)));
    }

    /**
     * Registers a Spring AI tool callback under its definition's name.
     *
     * @param origin where it comes from, for messages
     * @throws DuplicateToolNameException when another source already has that tool name
     */
    public RegisteredTool register(ToolCallback callback, String origin) {
        ToolDefinition definition = callback.getToolDefinition();
        ToolSpec spec = ToolSpec.of(definition.name(), definition.description(), parseSchema(definition));
        RegisteredTool existing = tools.get(spec.name());
        if (existing != null && republishes(callback, existing, spec)) {
            log.debug("{} republishes the @Tool method {}: registered once", origin, existing.origin());
            return existing;
        }
        boolean local = !callback.getClass().getName().startsWith(MCP_PACKAGE);
        return add(new RegisteredTool(spec, origin, (arguments, context) -> local
                ? callback.call(mapper.writeValueAsString(arguments), toolContext(context))
                : callback.call(mapper.writeValueAsString(arguments))));
    }

    public Optional<RegisteredTool> find(String name) {
        loadCallbacks();
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<RegisteredTool> all() {
        loadCallbacks();
        return List.copyOf(tools.values());
    }

    /** The specs of these tools, in the given order. Unknown names fail. */
    public List<ToolSpec> specs(Collection<String> names) {
        loadCallbacks();
        List<ToolSpec> specs = new ArrayList<>(names.size());
        for (String name : names) {
            RegisteredTool tool = tools.get(name);
            if (tool == null) {
                throw new IllegalStateException("No tool named '" + name + "'; known tools: " + tools.keySet());
            }
            specs.add(tool.spec());
        }
        return specs;
    }

    /** Runs a tool outside any agent's run: a {@link ToolRunContext} parameter gets {@link ToolRunContext#none()}. */
    @Override
    public Object execute(String toolName, Map<String, Object> arguments) throws Exception {
        return execute(toolName, arguments, ToolRunContext.none());
    }

    /** Runs a tool for a run: its {@link ToolRunContext} parameter (or {@code ToolContext}) gets {@code context}. */
    public Object execute(String toolName, Map<String, Object> arguments, ToolRunContext context) throws Exception {
        loadCallbacks();
        RegisteredTool tool = tools.get(toolName);
        if (tool == null) {
            throw new UnknownToolException(toolName);
        }
        return tool.invoker().invoke(arguments, context);
    }

    /** The executor of one run: every tool it runs receives {@code context}. */
    public ToolExecutor forRun(ToolRunContext context) {
        return (toolName, arguments) -> execute(toolName, arguments, context);
    }

    private RegisteredTool add(RegisteredTool tool) {
        RegisteredTool previous = tools.putIfAbsent(tool.name(), tool);
        if (previous != null) {
            throw new DuplicateToolNameException(tool.name(), previous.origin(), tool.origin());
        }
        return tool;
    }

    private void loadCallbacks() {
        if (callbacksLoaded || beanFactory == null) {
            return;
        }
        synchronized (this) {
            if (callbacksLoaded) {
                return;
            }
            callbacksLoaded = true;
            beanFactory.getBeansOfType(ToolCallback.class, false, true)
                    .forEach((name, callback) -> register(callback, "ToolCallback bean '" + name + "'"));
            beanFactory.getBeansOfType(ToolCallbackProvider.class, false, true).forEach((name, provider) -> {
                for (ToolCallback callback : provider.getToolCallbacks()) {
                    register(callback, "tool '" + callback.getToolDefinition().name() + "' of ToolCallbackProvider bean '"
                            + name + "' (" + provider.getClass().getSimpleName() + ")");
                }
            });
        }
    }

    /**
     * Spring AI's idiom publishes a bean's {@code @Tool} methods again through a
     * {@code MethodToolCallbackProvider}; those methods are already registered from the bean, and
     * the same name with the same schema is taken to be the same method, not a clash.
     */
    private static boolean republishes(ToolCallback callback, RegisteredTool existing, ToolSpec spec) {
        return callback instanceof MethodToolCallback && existing.invoker() instanceof MethodInvoker
                && existing.spec().parameters().equals(spec.parameters());
    }

    private static ToolContext toolContext(ToolRunContext context) {
        return new ToolContext(Map.of(ToolRunContext.KEY, context));
    }

    private Map<String, Object> parseSchema(ToolDefinition definition) {
        String schema = definition.inputSchema();
        if (schema == null || schema.isBlank()) {
            return null;
        }
        Map<String, Object> parsed = new LinkedHashMap<>(mapper.readValue(schema, SCHEMA));
        parsed.values().removeIf(java.util.Objects::isNull);
        return parsed;
    }

    private Map<String, Object> schemaOf(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (!parameter.isNamePresent()) {
                throw new IllegalStateException("Cannot read the parameter names of tool method " + method
                        + ": compile with -parameters (Spring Boot's Maven and Gradle plugins do)");
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>(mapper.readValue(JsonSchemaGenerator.generateForMethodInput(method), SCHEMA));
        hideRunContext(method, schema);
        return schema;
    }

    /** The run's identity is the gateway's to give: it is no property the model could see or set. */
    @SuppressWarnings("unchecked")
    private static void hideRunContext(Method method, Map<String, Object> schema) {
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getType() != ToolRunContext.class) {
                continue;
            }
            if (schema.get("properties") instanceof Map<?, ?> properties) {
                Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) properties);
                kept.remove(parameter.getName());
                schema.put("properties", kept);
            }
            if (schema.get("required") instanceof List<?> required) {
                schema.put("required", required.stream().filter(name -> !parameter.getName().equals(name)).toList());
            }
        }
    }

    /** A {@link Tool} method: arguments bound to its parameters with Jackson, the run's identity to its context ones. */
    private final class MethodInvoker implements RegisteredTool.Invoker {

        private final Object bean;
        private final Method method;

        MethodInvoker(Object bean, Method method) {
            this.bean = bean;
            this.method = method;
        }

        @Override
        public Object invoke(Map<String, Object> arguments, ToolRunContext context) throws Exception {
            Parameter[] parameters = method.getParameters();
            Object[] values = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                values[i] = bind(parameters[i], i, arguments, context);
            }
            try {
                return method.invoke(bean, values);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }

        private Object bind(Parameter parameter, int index, Map<String, Object> arguments, ToolRunContext context) {
            if (parameter.getType() == ToolRunContext.class) {
                return context;
            }
            if (parameter.getType() == ToolContext.class) {
                return toolContext(context);
            }
            Object raw = arguments.get(parameter.getName());
            JavaType type = mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[index]);
            if (raw == null && type.isPrimitive()) {
                throw new IllegalArgumentException("missing argument '" + parameter.getName() + "'");
            }
            return raw == null ? null : mapper.convertValue(raw, type);
        }
    }
}
