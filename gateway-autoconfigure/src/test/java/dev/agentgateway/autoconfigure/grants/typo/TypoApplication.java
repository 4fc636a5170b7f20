package dev.agentgateway.autoconfigure.grants.typo;

import dev.agentgateway.autoconfigure.grants.offered.GrantsApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link Forgetful} and the clerk's tools, none of them named "serch". */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class TypoApplication {

    @Bean
    GrantsApplication.ClerkTools clerkTools() {
        return new GrantsApplication.ClerkTools();
    }
}
