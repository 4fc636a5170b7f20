package dev.agentgateway.autoconfigure.config;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/** Where a property was set, as Spring Boot's own failure reports say it. */
public final class PropertyOrigins {

    private PropertyOrigins() {
    }

    /** {@code name}, followed by where its value comes from when the environment knows. */
    public static String describe(Environment environment, String name) {
        ConfigurationPropertyName key = ConfigurationPropertyName.adapt(name, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(key);
            if (property != null && property.getOrigin() != null) {
                return name + " (from " + property.getOrigin() + ")";
            }
        }
        return name;
    }
}
