package dev.agentgateway.spring.tool;

import dev.agentgateway.core.tools.ToolExecutor;

import java.util.List;
import java.util.function.Function;

/** The tool executor of one run: the {@link ToolRegistry} bound to the run, wrapped by each {@link ToolExecutorDecorator} in order. */
public final class RunToolExecutors {

    private RunToolExecutors() {
    }

    public static Function<ToolRunContext, ToolExecutor> of(ToolRegistry registry, List<ToolExecutorDecorator> decorators) {
        List<ToolExecutorDecorator> ordered = List.copyOf(decorators);
        return run -> {
            ToolExecutor executor = registry.forRun(run);
            for (ToolExecutorDecorator decorator : ordered) {
                executor = decorator.decorate(executor);
            }
            return executor;
        };
    }
}
