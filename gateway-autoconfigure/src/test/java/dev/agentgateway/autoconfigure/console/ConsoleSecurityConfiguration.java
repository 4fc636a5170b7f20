package dev.agentgateway.autoconfigure.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application's own Spring Security, as an operator would write it: everything needs a signed-in
 * user (form login for browsers, HTTP Basic for scripts), CSRF protection as Spring Security sets it
 * up by default. The console adds its role on top: {@code operator} has it, {@code viewer} does not.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ConsoleSecurityConfiguration {

    static final String PASSWORD = "s3cret-pass";

    @Bean
    SecurityFilterChain applicationSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(login -> { })
                .httpBasic(basic -> { })
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("operator").password("{noop}" + PASSWORD).roles("AGENT_GATEWAY_OPERATOR").build(),
                User.withUsername("viewer").password("{noop}" + PASSWORD).roles("VIEWER").build());
    }
}
