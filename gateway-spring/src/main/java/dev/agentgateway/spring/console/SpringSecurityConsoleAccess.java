package dev.agentgateway.spring.console;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;

import java.security.Principal;
import java.util.Map;

/**
 * The console behind Spring Security: the application's security filter chain authenticates the
 * operator (and checks the CSRF token of every write); this only lets in those with {@code role},
 * and refuses writes when the chain has CSRF protection switched off, since a console that acts on
 * a browser session must not be drivable from another site.
 */
public class SpringSecurityConsoleAccess implements ConsoleAccess {

    private final String role;

    public SpringSecurityConsoleAccess(String role) {
        this.role = role;
    }

    @Override
    public boolean secured() {
        return true;
    }

    @Override
    public boolean mayRead(HttpServletRequest request) {
        return request.getUserPrincipal() != null && request.isUserInRole(role);
    }

    @Override
    public @Nullable String refusesWrite(HttpServletRequest request) {
        if (!mayRead(request)) {
            return "The console needs the role " + role;
        }
        if (token(request) == null) {
            return "Console actions need Spring Security's CSRF protection, which is off for this request";
        }
        return null;
    }

    @Override
    public String operator(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? "anonymous" : principal.getName();
    }

    @Override
    public Map<String, String> csrf(HttpServletRequest request) {
        CsrfToken token = token(request);
        return token == null ? Map.of() : Map.of("headerName", token.getHeaderName(), "token", token.getToken());
    }

    private static @Nullable CsrfToken token(HttpServletRequest request) {
        return (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    }
}
