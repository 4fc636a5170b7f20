package dev.agentgateway.spring.console;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.spring.approval.ApprovalDecidedEvent;
import dev.agentgateway.spring.approval.ApprovalRequestedEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes what the gateway settles to the open consoles as server-sent events: {@code call} when a
 * call is recorded (refusals included), {@code toolCall} when a tool call ends, {@code approval} when
 * a run asks for an approval or one is decided (or expires), {@code audit} when an operator acts. An event names what happened and where (ids, agent, run, tenant, outcome); the page
 * then reads the figures from the gateway's endpoints, so there is one model of the state.
 *
 * <p>The gateway notifies listeners on the calling thread, so this only hands the event to one
 * sending thread through a bounded queue: a slow or vanished browser never slows a call, and when
 * the queue is full events are dropped (counted in {@link #droppedEvents()}; the next event brings
 * the page up to date). Subscribers are bounded too, and each is forgotten as soon as it completes,
 * times out or fails to receive; idle ones are written to every 15 seconds, and all of them when
 * the bound is reached, so that a browser that left does not hold its place.
 */
public class ConsoleEvents implements GatewayListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);

    private static final int QUEUE_CAPACITY = 1_000;

    /** How often idle subscribers are written to, so that those who left are forgotten without waiting for an event. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EndpointSanitizer sanitizer;
    private final int maxSubscribers;
    private final Duration timeout;
    private final List<SseEmitter> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor sender;
    private final ScheduledExecutorService heartbeat;

    public ConsoleEvents(EndpointSanitizer sanitizer, int maxSubscribers, Duration timeout) {
        this.sanitizer = sanitizer;
        this.maxSubscribers = maxSubscribers;
        this.timeout = timeout;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY), runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-console-events");
            thread.setDaemon(true);
            return thread;
        }, (rejected, executor) -> dropped.incrementAndGet());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-console-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(() -> sender.execute(() -> subscribers.forEach(this::ping)),
                HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new subscriber, or {@code null} when {@code maxSubscribers} are already listening. */
    public synchronized @Nullable SseEmitter subscribe() {
        if (subscribers.size() >= maxSubscribers) {
            // browsers that reloaded or closed the page are only noticed when a write to them fails
            subscribers.forEach(this::ping);
        }
        if (subscribers.size() >= maxSubscribers) {
            return null;
        }
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(failure -> subscribers.remove(emitter));
        subscribers.add(emitter);
        sender.execute(() -> send(emitter, "hello", Map.of("subscribers", subscribers.size())));
        return emitter;
    }

    /** How many browsers are listening now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** Events not sent because the sending queue was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    @Override
    public void onCallRecorded(CallRecord record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("callId", record.callId());
        event.put("agentId", record.agentId());
        event.put("workflowId", record.workflowId());
        event.put("tenant", record.tenant());
        event.put("outcome", record.success() ? "success" : record.refused() ? "refused" : "failed");
        publish("call", event);
    }

    @Override
    public void onToolCall(ToolCallRecord record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("toolCallId", record.toolCallId());
        event.put("toolName", record.toolName());
        event.put("agentId", record.agentId());
        event.put("workflowId", record.workflowId());
        event.put("outcome", record.outcome().name().toLowerCase(Locale.ROOT));
        publish("toolCall", event);
    }

    @EventListener
    public void onApprovalRequested(ApprovalRequestedEvent requested) {
        publish("approval", approvalEvent(requested.getApproval(), Approval.State.PENDING));
    }

    @EventListener
    public void onApprovalDecided(ApprovalDecidedEvent decided) {
        publish("approval", approvalEvent(decided.getApproval().request(), decided.getApproval().state()));
    }

    private static Map<String, Object> approvalEvent(PendingApproval approval, Approval.State state) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("approvalId", approval.id());
        event.put("toolName", approval.toolName());
        event.put("agentId", approval.agentId());
        event.put("workflowId", approval.workflowId());
        event.put("state", state.name().toLowerCase(Locale.ROOT));
        return event;
    }

    /** Sends {@code data} (secrets masked) to every subscriber, off the caller's thread. */
    public void publish(String name, Map<String, ?> data) {
        if (subscribers.isEmpty()) {
            return;
        }
        Object safe = sanitizer.sanitize(data);
        sender.execute(() -> subscribers.forEach(emitter -> send(emitter, name, safe)));
    }

    private void ping(SseEmitter emitter) {
        deliver(emitter, SseEmitter.event().comment("ping"));
    }

    private void send(SseEmitter emitter, String name, Object data) {
        deliver(emitter, SseEmitter.event().name(name).data(data));
    }

    private void deliver(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException gone) {
            // the browser left: forget it now rather than at its time-out
            subscribers.remove(emitter);
            emitter.completeWithError(gone);
            log.debug("Console subscriber dropped: {}", gone.toString());
        }
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        sender.shutdownNow();
        subscribers.forEach(SseEmitter::complete);
        subscribers.clear();
    }
}
