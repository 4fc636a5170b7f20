package dev.agentgateway.spring;

import dev.agentgateway.core.limits.LimitWarning;
import org.springframework.context.ApplicationEvent;

/** Published when a limit reaches its warning threshold (once per limit and scope). */
public class LimitWarningEvent extends ApplicationEvent {

    private final LimitWarning warning;

    public LimitWarningEvent(Object source, LimitWarning warning) {
        super(source);
        this.warning = warning;
    }

    public LimitWarning getWarning() {
        return warning;
    }
}
