package dev.agentgateway.sample.web;

import dev.agentgateway.sample.desk.ResearchDesk;
import dev.agentgateway.sample.desk.RunResult;
import dev.agentgateway.sample.notes.Note;
import dev.agentgateway.sample.notes.NoteRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code POST /api/runs} runs a task; {@code POST /api/demo/{loop|denied}} shows governance
 * stopping a run. A run for tenant {@code shoestring} shows a budget refusal.
 */
@RestController
@RequestMapping("/api")
class RunController {

    /** A task for the desk; {@code tenant} is optional. */
    record RunRequest(String task, String tenant) {
    }

    private final ResearchDesk desk;
    private final NoteRepository notes;

    RunController(ResearchDesk desk, NoteRepository notes) {
        this.desk = desk;
        this.notes = notes;
    }

    @PostMapping("/runs")
    RunResult run(@RequestBody RunRequest request) {
        if (request.task() == null || request.task().isBlank()) {
            throw new IllegalArgumentException("task must not be empty");
        }
        return desk.run(request.task(), request.tenant());
    }

    @GetMapping("/runs/{runId}")
    RunResult describe(@PathVariable String runId) {
        return desk.describe(runId);
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

    @GetMapping("/notes")
    List<Note> notes() {
        return notes.findAll();
    }
}
