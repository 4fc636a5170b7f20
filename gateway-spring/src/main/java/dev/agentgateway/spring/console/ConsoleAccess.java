package dev.agentgateway.spring.console;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Who may use the console. Without Spring Security the console is as open as the Actuator
 * endpoints it shows ({@link #open()}); with it, an operator needs the configured role and write
 * actions need Spring Security's CSRF protection ({@code SpringSecurityConsoleAccess}).
 */
public interface ConsoleAccess {

    /** Whether Spring Security guards the console. */
    boolean secured();

    /** Whether this request may read the console. */
    boolean mayRead(HttpServletRequest request);

    /** Why this request may not act (change anything), or {@code null} when it may. */
    @Nullable String refusesWrite(HttpServletRequest request);

    /** The name the audit list records for whoever made the request. */
    String operator(HttpServletRequest request);

    /** The CSRF header name and token the page sends with write actions, or an empty map. */
    Map<String, String> csrf(HttpServletRequest request);

    /** No Spring Security: everyone who reaches the console may use it, as they may use the Actuator endpoints. */
    static ConsoleAccess open() {
        return new ConsoleAccess() {
            @Override
            public boolean secured() {
                return false;
            }

            @Override
            public boolean mayRead(HttpServletRequest request) {
                return true;
            }

            @Override
            public @Nullable String refusesWrite(HttpServletRequest request) {
                return null;
            }

            @Override
            public String operator(HttpServletRequest request) {
                return "anonymous@" + request.getRemoteAddr();
            }

            @Override
            public Map<String, String> csrf(HttpServletRequest request) {
                return Map.of();
            }
        };
    }
}
