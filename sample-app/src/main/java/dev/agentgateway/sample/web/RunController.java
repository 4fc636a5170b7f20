package dev.agentgateway.sample.web;

import dev.agentgateway.sample.desk.ResearchDesk;
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
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code POST /api/runs} runs a task; {@code POST /api/demo/{loop|denied}} shows governance
 * stopping a run, {@code POST /api/demo/approval} a run pausing for approval ({@code 202}). A run for tenant {@code shoestring} shows a budget refusal. Errors are problem
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
