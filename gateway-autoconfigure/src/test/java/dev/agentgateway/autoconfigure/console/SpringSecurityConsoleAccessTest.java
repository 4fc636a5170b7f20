package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.spring.console.ConsoleAccessInterceptor;
import dev.agentgateway.spring.console.SpringSecurityConsoleAccess;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's rules behind Spring Security, on requests as the application's filter chain leaves
 * them (principal, roles, CSRF token attribute): the role is needed to read, and the chain's CSRF
 * protection to act.
 */
class SpringSecurityConsoleAccessTest {

    private final SpringSecurityConsoleAccess access = new SpringSecurityConsoleAccess("OPS");
    private final ConsoleAccessInterceptor interceptor = new ConsoleAccessInterceptor(access);

    @Test
    void anOperatorWithoutTheRoleIsTurnedAway() throws Exception {
        MockHttpServletRequest request = signedIn("GET", "VIEWER");
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(request, response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
    }

    @Test
    void nobodySignedInIsTurnedAway() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(new MockHttpServletRequest("GET", "/agent-gateway/"), response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
    }

    @Test
    void anOperatorWithTheRoleReads() throws Exception {
        assertThat(interceptor.preHandle(signedIn("GET", "OPS"), new MockHttpServletResponse(), new Object())).isTrue();
    }

    @Test
    void anActionWithoutCsrfProtectionIsRefused() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(interceptor.preHandle(signedIn("POST", "OPS"), response, new Object())).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getErrorMessage()).contains("CSRF");
    }

    @Test
    void anActionThatPassedTheChainsCsrfCheckGoesThroughAndThePageGetsTheToken() throws Exception {
        MockHttpServletRequest request = signedIn("POST", "OPS");
        request.setAttribute(CsrfToken.class.getName(), new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "t0k3n"));

        assertThat(interceptor.preHandle(request, new MockHttpServletResponse(), new Object())).isTrue();
        assertThat(access.csrf(request)).containsEntry("headerName", "X-CSRF-TOKEN").containsEntry("token", "t0k3n");
        assertThat(access.operator(request)).isEqualTo("alice");
    }

    private static MockHttpServletRequest signedIn(String method, String role) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/agent-gateway/api/control/stop");
        request.setUserPrincipal(() -> "alice");
        request.addUserRole(role);
        return request;
    }
}
