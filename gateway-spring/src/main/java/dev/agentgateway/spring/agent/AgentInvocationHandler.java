package dev.agentgateway.spring.agent;

import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.spring.tool.ToolRunContext;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolExecutor;
import org.springframework.ai.util.json.schema.JsonSchemaGenerator;
import org.springframework.util.function.SingletonSupplier;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs an {@link Agent} interface method: its arguments become the user message, the agent's
 * declaration the rest of the call, and the gateway's tool loop the answer. A method returning
 * {@code Flux<String>} or {@code Flux<StreamEvent>} streams the tool loop instead
 * ({@link Gateway#streamWithTools}).
 */
final class AgentInvocationHandler implements InvocationHandler {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Class<?> agentInterface;
    private final Supplier<AgentDefinition> definition;
    private final Supplier<Gateway> gateway;
    private final Supplier<ToolRegistry> tools;
    private final Supplier<Function<ToolRunContext, ToolExecutor>> toolExecutors;
    private final Supplier<AgentCaller> caller;
    private final Map<Method, MethodPlan> plans = new ConcurrentHashMap<>();

    /**
     * @param toolExecutors the executor of one run's tools, given the run's identity
     */
    AgentInvocationHandler(Class<?> agentInterface, Supplier<AgentDefinition> definition, Supplier<Gateway> gateway,
                           Supplier<ToolRegistry> tools, Supplier<Function<ToolRunContext, ToolExecutor>> toolExecutors,
                           Supplier<AgentCaller> caller) {
        this.agentInterface = agentInterface;
        this.definition = SingletonSupplier.of(definition);
        this.gateway = SingletonSupplier.of(gateway);
        this.tools = SingletonSupplier.of(tools);
        this.toolExecutors = SingletonSupplier.of(toolExecutors);
        this.caller = SingletonSupplier.of(caller);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "Agent proxy for " + agentInterface.getName();
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        MethodPlan plan = plans.computeIfAbsent(method, MethodPlan::new);
        AgentDefinition agent = definition.get();
        Object[] arguments = args == null ? new Object[0] : args;
        AgentCaller who = caller.get();
        String workflowId = who.workflowId(plan.argument(plan.workflowIdIndex, arguments));
        String tenant = who.tenant(agent.id(), plan.argument(plan.tenantIndex, arguments));
        GatewayCall.Builder call = GatewayCall.builder()
                .agentId(agent.id())
                .provider(agent.provider())
                .model(agent.model())
                .temperature(agent.temperature())
                .maxTokens(agent.maxTokens())
                .workflowId(workflowId)
                .tenant(tenant);
        String system = plan.systemPrompt(agent.systemPrompt());
        if (system != null) {
            call.system(system);
        }
        call.user(plan.userMessage(arguments));
        ToolRegistry registry = tools.get();
        if (agent.tools() != null) {
            call.tools(registry.specs(offeredTools(agent)));
        }
        // the principal is read here, on the caller's thread: tools run on the gateway's threads
        ToolRunContext run = new ToolRunContext(agent.id(), workflowId, tenant, CallerPrincipal.current());
        ToolExecutor executor = toolExecutors.get().apply(run);
        if (plan.streams()) {
            return plan.stream(gateway.get().streamWithTools(call.build(), executor, agent.maxIterations()));
        }
        LlmResponse response;
        try {
            response = gateway.get().callWithTools(call.build(), executor, agent.maxIterations());
        } catch (RunAwaitingApprovalException paused) {
            if (plan.wrapsResult) {
                return AgentResult.pending(paused);
            }
            throw paused;
        }
        Object answer = plan.convert(response, agent.id());
        return plan.wrapsResult ? AgentResult.answered(answer, workflowId, response.runTotals()) : answer;
    }

    /** The agent's declared tools that the access rules let it use: a tool it may not use is never offered. */
    private List<String> offeredTools(AgentDefinition agent) {
        ToolAccessController access = gateway.get().toolAccess();
        return access == null ? agent.tools()
                : agent.tools().stream().filter(tool -> access.isPermitted(agent.id(), tool)).toList();
    }

    /** What the handler works out once per method. */
    private static final class MethodPlan {

        private enum Answer { TEXT, RESPONSE, NOTHING, JSON, TEXT_STREAM, EVENT_STREAM }

        private final Method method;
        private final Answer answer;
        private final JavaType answerType;
        private final String formatInstruction;
        private final String template;
        private final List<Integer> messageIndexes = new ArrayList<>();
        private final String[] names;
        private int workflowIdIndex = -1;
        private int tenantIndex = -1;

        /** The method returns {@link AgentResult}: the answer, or the run's pending approvals. */
        private final boolean wrapsResult;

        MethodPlan(Method method) {
            this.method = method;
            this.wrapsResult = method.getReturnType() == AgentResult.class;
            Type returnType = wrapsResult ? resultType(method) : method.getGenericReturnType();
            Class<?> raw = JSON.getTypeFactory().constructType(returnType).getRawClass();
            this.answer = raw == String.class || raw == CharSequence.class ? Answer.TEXT
                    : raw == LlmResponse.class ? Answer.RESPONSE
                    : raw == Flux.class ? streamOf(method, returnType)
                    : raw == void.class || raw == Void.class ? Answer.NOTHING : Answer.JSON;
            this.answerType = JSON.getTypeFactory().constructType(returnType);
            this.formatInstruction = answer == Answer.JSON
                    ? "Answer with a single JSON value and nothing else. It must match this JSON schema:\n"
                    + JsonSchemaGenerator.generateForType(returnType)
                    : null;
            UserMessage userMessage = method.getAnnotation(UserMessage.class);
            this.template = userMessage == null ? null : userMessage.value();
            Parameter[] parameters = method.getParameters();
            this.names = new String[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                names[i] = parameters[i].getName();
                if (parameters[i].isAnnotationPresent(WorkflowId.class)) {
                    workflowIdIndex = i;
                } else if (parameters[i].isAnnotationPresent(Tenant.class)) {
                    tenantIndex = i;
                } else {
                    messageIndexes.add(i);
                }
            }
            if (template == null && messageIndexes.isEmpty()) {
                throw new IllegalStateException("Agent method " + method + " has no argument to send as the user message;"
                        + " add a parameter or a @UserMessage template");
            }
        }

        /** A {@code Flux} of text pieces or of the stream's events; any other element type is refused. */
        private static Answer streamOf(Method method, Type returnType) {
            Type element = returnType instanceof ParameterizedType parameterized
                    ? parameterized.getActualTypeArguments()[0] : Object.class;
            if (element == String.class || element == CharSequence.class) {
                return Answer.TEXT_STREAM;
            }
            if (element == StreamEvent.class) {
                return Answer.EVENT_STREAM;
            }
            throw new IllegalStateException("Agent method " + method + " returns Flux<" + element.getTypeName() + ">:"
                    + " a streaming agent method returns Flux<String> (the answer's text as it arrives) or"
                    + " Flux<StreamEvent> (text, tool calls and the settled answer)");
        }

        boolean streams() {
            return answer == Answer.TEXT_STREAM || answer == Answer.EVENT_STREAM;
        }

        /** The run's events as the method's Flux: cold (each subscriber is one governed run), a cancel ends the run. */
        Flux<?> stream(Flow.Publisher<StreamEvent> run) {
            Flux<StreamEvent> events = JdkFlowAdapter.flowPublisherToFlux(run);
            return answer == Answer.TEXT_STREAM ? events.mapNotNull(StreamEvent::text) : events;
        }

        /** The {@code T} of {@code AgentResult<T>}; a raw {@code AgentResult} answers text. */
        private static Type resultType(Method method) {
            return method.getGenericReturnType() instanceof ParameterizedType parameterized
                    ? parameterized.getActualTypeArguments()[0] : String.class;
        }

        String argument(int index, Object[] args) {
            return index < 0 || args[index] == null ? null : String.valueOf(args[index]);
        }

        String systemPrompt(String declared) {
            if (formatInstruction == null) {
                return declared;
            }
            return declared == null ? formatInstruction : declared + "\n\n" + formatInstruction;
        }

        String userMessage(Object[] args) {
            if (template != null) {
                String message = template;
                for (int i = 0; i < args.length; i++) {
                    String value = render(args[i]);
                    message = message.replace("{" + names[i] + "}", value).replace("{" + i + "}", value);
                }
                return message;
            }
            if (messageIndexes.size() == 1) {
                return render(args[messageIndexes.get(0)]);
            }
            StringBuilder message = new StringBuilder();
            for (int index : messageIndexes) {
                message.append(names[index]).append(": ").append(render(args[index])).append('\n');
            }
            return message.toString().strip();
        }

        Object convert(LlmResponse response, String agentId) {
            return switch (answer) {
                case TEXT -> response.content();
                case RESPONSE -> response;
                case NOTHING -> null;
                case JSON -> parse(response.content(), agentId);
                case TEXT_STREAM, EVENT_STREAM -> throw new IllegalStateException(method + " streams: see stream(...)");
            };
        }

        private Object parse(String content, String agentId) {
            if (content == null || content.isBlank()) {
                throw new AgentResponseParseException(agentId, answerType.toString(), content,
                        new IllegalArgumentException("the answer is empty"));
            }
            try {
                return JSON.readValue(extractJson(content), answerType);
            } catch (JacksonException e) {
                throw new AgentResponseParseException(agentId, answerType.getRawClass().getSimpleName(), content, e);
            }
        }

        /** Models like to wrap JSON in prose or Markdown fences; take the outermost JSON value. */
        private static String extractJson(String content) {
            String text = content.strip();
            int start = indexOfAny(text, '{', '[');
            int end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
            return start >= 0 && end > start ? text.substring(start, end + 1) : text;
        }

        private static int indexOfAny(String text, char a, char b) {
            int first = text.indexOf(a);
            int second = text.indexOf(b);
            return first < 0 ? second : second < 0 ? first : Math.min(first, second);
        }

        private static String render(Object argument) {
            if (argument == null || argument instanceof CharSequence || argument instanceof Number
                    || argument instanceof Boolean || argument instanceof Enum<?>) {
                return String.valueOf(argument);
            }
            return JSON.writeValueAsString(argument);
        }

        @Override
        public String toString() {
            return method.toString();
        }
    }
}
