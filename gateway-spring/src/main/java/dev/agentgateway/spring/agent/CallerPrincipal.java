package dev.agentgateway.spring.agent;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

import java.security.Principal;

/** The authenticated caller on this thread, where Spring Security is on the class path. */
final class CallerPrincipal {

    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder", CallerPrincipal.class.getClassLoader());

    private CallerPrincipal() {
    }

    /** The authenticated principal, or {@code null} (no Spring Security, nobody or an anonymous caller). */
    static Principal current() {
        return SECURITY ? Security.current() : null;
    }

    /** Loaded only when Spring Security is present. */
    private static final class Security {

        static Principal current() {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication == null || !authentication.isAuthenticated()
                    || authentication instanceof AnonymousAuthenticationToken) {
                return null;
            }
            return authentication;
        }
    }
}
