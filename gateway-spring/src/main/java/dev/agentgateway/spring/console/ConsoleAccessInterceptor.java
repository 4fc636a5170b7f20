package dev.agentgateway.spring.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.io.IOException;

/** Applies the {@link ConsoleAccess} rules to every request under the console's path, page and assets included. */
public class ConsoleAccessInterceptor implements HandlerInterceptor {

    private final ConsoleAccess access;

    public ConsoleAccessInterceptor(ConsoleAccess access) {
        this.access = access;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!access.mayRead(request)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "The console needs an operator role");
            return false;
        }
        if (!HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod())) {
            String refusal = access.refusesWrite(request);
            if (refusal != null) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN, refusal);
                return false;
            }
        }
        return true;
    }
}
