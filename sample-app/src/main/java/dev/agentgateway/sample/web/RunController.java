package dev.agentgateway.sample.web;

import dev.agentgateway.sample.desk.ResearchDesk;
import dev.agentgateway.sample.desk.RunEvent;
import dev.agentgateway.sample.desk.RunResult;
import dev.agentgateway.sample.notes.Note;
import dev.agentgateway.sample.notes.NoteRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * {@code POST /api/runs} runs a task, {@code POST /api/runs/stream} streams it as Server-Sent
 * Events; {@code POST /api/demo/{loop|denied|stream-timeout}} shows governance stopping a run,
 * {@code POST /api/demo/approval} a run pausing for approval ({@code 202}). A run for tenant
 * {@code shoestring} shows a budget refusal. Errors are problem
 * details ({@link ApiProblems}).
 */
@RestController
@RequestMapping("/api")
class RunController {

    /** A task for the desk; {@code tenant} is optional. */
    record RunRequest(@NotBlank String task, String tenant) {
    }

    private final ResearchDesk desk;
    private final NoteRepository notes;

    RunController(ResearchDesk desk, NoteRepository notes) {
        this.desk = desk;
        this.notes = notes;
    }

    @PostMapping("/runs")
    RunResult run(@Valid @RequestBody RunRequest request) {
        return desk.run(request.task(), request.tenant());
    }

    /**
     * The run as Server-Sent Events while it happens: {@code token} (an agent's text), {@code tool}
     * (a tool started or finished), and last {@code done} (the result: answer, cost, tokens, steps,
     * tools) or {@code failed} (the gateway's error and the totals until then).
     */
    @PostMapping(path = "/runs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<RunEvent>> stream(@Valid @RequestBody RunRequest request) {
        return sse(desk.stream(request.task(), request.tenant()));
    }

    /** A stream that runs longer than agent-gateway.stream.timeout allows: cut off, ends with {@code failed}. */
    @PostMapping(path = "/demo/stream-timeout", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<RunEvent>> streamTimeoutDemo() {
        return sse(desk.streamRambler("the meaning of everything"));
    }

    private static Flux<ServerSentEvent<RunEvent>> sse(Flux<RunEvent> events) {
        return events.map(event -> ServerSentEvent.builder(event).event(name(event)).build());
    }

    private static String name(RunEvent event) {
        if (event instanceof RunEvent.Token) {
            return "token";
        }
        if (event instanceof RunEvent.Tool) {
            return "tool";
        }
        return event instanceof RunEvent.Done ? "done" : "failed";
    }

    @GetMapping("/runs/{runId}")
    RunResult describe(@PathVariable String runId) {
        return desk.describe(runId).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No run '" + runId + "' is known"), null));
    }

    @PostMapping("/demo/budget")
    RunResult budgetDemo() {
        return desk.run("What does a budget reservation protect against?", "shoestring");
    }

    @PostMapping("/demo/loop")
    RunResult loopDemo() {
        return desk.runLooper("Find the perfect answer");
    }

    @PostMapping("/demo/denied")
    RunResult deniedDemo() {
        return desk.runIntern("Please tidy up all the notes");
    }

    /** A run that pauses for approval: {@code 202 Accepted} with the run id and the pending approval. */
    @PostMapping("/demo/approval")
    RunResult approvalDemo() {
        return desk.runPublisher("The desk opens at nine on Mondays.");
    }

    /** The newest notes first, at most {@code limit} (1 to 500) of them. */
    @GetMapping("/notes")
    List<Note> notes(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return notes.findAll(PageRequest.of(0, limit, Sort.by(Sort.Direction.DESC, "id"))).getContent();
    }
}
