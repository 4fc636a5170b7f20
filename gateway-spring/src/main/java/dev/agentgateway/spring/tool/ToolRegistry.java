package dev.agentgateway.spring.tool;

import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.UnknownToolException;
import org.springframework.ai.util.json.schema.JsonSchemaGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tool of the application, by name, and the {@link ToolExecutor} that runs them: arguments
 * arrive as the model's JSON object and are bound to the method's parameters with Jackson.
 */
public class ToolRegistry implements ToolExecutor {

    private static final TypeReference<Map<String, Object>> SCHEMA = new TypeReference<>() {
    };

    private final Map<String, RegisteredTool> tools = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    public ToolRegistry() {
        this(JsonMapper.builder().build());
    }

    public ToolRegistry(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Registers {@code method} of {@code bean} as a tool.
     *
     * @throws IllegalStateException when another method already has that tool name
     */
    public RegisteredTool register(String beanName, Object bean, Method method, String name, String description) {
        String toolName = name == null || name.isBlank() ? method.getName() : name;
        ToolSpec spec = ToolSpec.of(toolName, description, schemaOf(method));
        RegisteredTool tool = new RegisteredTool(spec, beanName, bean, method);
        RegisteredTool previous = tools.putIfAbsent(toolName, tool);
        if (previous != null) {
            throw new IllegalStateException("Duplicate tool name '" + toolName + "': declared by " + previous.origin()
                    + " and by " + tool.origin() + ". Give one of them another name with @Tool(name = ...).");
        }
        return tool;
    }

    public Optional<RegisteredTool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<RegisteredTool> all() {
        return List.copyOf(tools.values());
    }

    /** The specs of these tools, in the given order. Unknown names fail. */
    public List<ToolSpec> specs(Collection<String> names) {
        List<ToolSpec> specs = new ArrayList<>(names.size());
        for (String name : names) {
            RegisteredTool tool = tools.get(name);
            if (tool == null) {
                throw new IllegalStateException("No @Tool named '" + name + "'; known tools: " + tools.keySet());
            }
            specs.add(tool.spec());
        }
        return specs;
    }

    @Override
    public Object execute(String toolName, Map<String, Object> arguments) throws Exception {
        RegisteredTool tool = tools.get(toolName);
        if (tool == null) {
            throw new UnknownToolException(toolName);
        }
        Method method = tool.method();
        Parameter[] parameters = method.getParameters();
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Object raw = arguments.get(parameters[i].getName());
            JavaType type = mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[i]);
            if (raw == null && type.isPrimitive()) {
                throw new IllegalArgumentException("missing argument '" + parameters[i].getName() + "'");
            }
            values[i] = raw == null ? null : mapper.convertValue(raw, type);
        }
        try {
            return method.invoke(tool.bean(), values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private Map<String, Object> schemaOf(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (!parameter.isNamePresent()) {
                throw new IllegalStateException("Cannot read the parameter names of tool method " + method
                        + ": compile with -parameters (Spring Boot's Maven and Gradle plugins do)");
            }
        }
        return mapper.readValue(JsonSchemaGenerator.generateForMethodInput(method), SCHEMA);
    }
}
