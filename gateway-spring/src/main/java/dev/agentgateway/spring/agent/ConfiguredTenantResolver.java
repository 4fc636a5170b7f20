package dev.agentgateway.spring.agent;

import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.security.Principal;

/**
 * The tenant from {@code agent-gateway.tenant.*}: the authenticated principal's name when
 * {@code from-principal} is on, else the {@code from-header} header of the current HTTP request.
 * The authenticated source comes first: a header is only what the client says.
 */
public class ConfiguredTenantResolver implements TenantResolver {

    private static final boolean SERVLET_WEB = ClassUtils.isPresent(
            "org.springframework.web.context.request.ServletRequestAttributes", ConfiguredTenantResolver.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", ConfiguredTenantResolver.class.getClassLoader());

    private final TenantSettings settings;

    public ConfiguredTenantResolver(TenantSettings settings) {
        this.settings = settings;
    }

    @Override
    public String resolveTenant() {
        if (settings.fromPrincipal()) {
            Principal principal = CallerPrincipal.current();
            if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
                return principal.getName();
            }
        }
        String header = settings.fromHeader();
        if (header != null && !header.isBlank() && SERVLET_WEB) {
            return Web.header(header);
        }
        return null;
    }

    /** Loaded only in a servlet application. */
    private static final class Web {

        static String header(String name) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (attributes instanceof ServletRequestAttributes servlet) {
                String value = servlet.getRequest().getHeader(name);
                return value == null || value.isBlank() ? null : value.strip();
            }
            return null;
        }
    }
}
