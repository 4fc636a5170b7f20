package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.spring.config.GatewayConfigurationException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stops start-up when a key under {@code agent-gateway.} is no property of the starter, at any
 * depth, inside map entries ({@code agents.<id>}, {@code providers.<id>}, {@code tools.<name>})
 * and list elements included: a misspelt limit would otherwise simply not be there.
 *
 * <p>Every {@code agent-gateway} {@link ConfigurationProperties} class named in the class path's
 * configuration metadata (so also those whose auto-configuration is switched off) is bound once
 * more, before any bean exists, with a handler that only records which names the binder looked at;
 * a configured name it never looked at is unknown. Bad values are left to the real binding, which
 * reports them. Environment variables are not checked (their names cannot be told apart from
 * other keys reliably).
 */
public class UnknownPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("agent-gateway");

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** Keys that were properties before and where they are now. */
    private static final Map<String, String> MOVED = movedKeys();

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory.getBeanClassLoader();
        Recorder recorder = new Recorder();
        Binder binder = Binder.get(environment);
        for (PropertiesClass properties : propertiesClasses(classLoader)) {
            binder.bind(properties.prefix(), Bindable.of(properties.type()), recorder);
        }
        Map<String, String> unknown = unknownKeys(recorder);
        if (!unknown.isEmpty()) {
            throw new GatewayConfigurationException(describe(unknown), advise(unknown.keySet(), recorder));
        }
    }

    private Map<String, String> unknownKeys(Recorder recorder) {
        Map<String, String> unknown = new TreeMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            for (ConfigurationPropertyName name : iterable) {
                if (ROOT.isAncestorOf(name) && (!recorder.looked(name) || MOVED.containsKey(name.toString()))
                        && !unknown.containsKey(name.toString())) {
                    ConfigurationProperty property = iterable.getConfigurationProperty(name);
                    unknown.put(name.toString(), property == null || property.getOrigin() == null ? null
                            : property.getOrigin().toString());
                }
            }
        }
        return unknown;
    }

    private static String describe(Map<String, String> unknown) {
        StringBuilder description = new StringBuilder(unknown.size() == 1
                ? "This key is not a property of the Agent Gateway:\n"
                : "These keys are not properties of the Agent Gateway:\n");
        unknown.forEach((name, origin) -> description.append("\n    ").append(name)
                .append(origin == null ? "" : " (from " + origin + ")"));
        return description.toString();
    }

    private static String advise(Set<String> unknown, Recorder recorder) {
        StringBuilder action = new StringBuilder("Correct or remove ").append(unknown.size() == 1 ? "it" : "them").append(".");
        for (String name : unknown) {
            String moved = moved(name);
            action.append("\n    ").append(name).append(": ")
                    .append(moved != null ? "has moved to " + moved : recorder.suggestion(ConfigurationPropertyName.of(name)));
        }
        return action.toString();
    }

    private static String moved(String name) {
        for (Map.Entry<String, String> move : MOVED.entrySet()) {
            if (name.equals(move.getKey()) || name.startsWith(move.getKey() + ".") || name.startsWith(move.getKey() + "[")) {
                return move.getValue() + name.substring(move.getKey().length());
            }
        }
        return null;
    }

    /** A {@link ConfigurationProperties} class and its prefix. */
    record PropertiesClass(String prefix, Class<?> type) {
    }

    /** The agent-gateway properties classes of the configuration metadata. */
    static Set<PropertiesClass> propertiesClasses(ClassLoader classLoader) {
        Set<PropertiesClass> classes = new LinkedHashSet<>();
        try {
            Enumeration<URL> resources = classLoader.getResources(METADATA);
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream()) {
                    for (JsonNode group : JsonMapper.builder().build().readTree(in).path("groups")) {
                        addIfPropertiesClass(classes, group, classLoader);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + METADATA, e);
        }
        return classes;
    }

    private static void addIfPropertiesClass(Set<PropertiesClass> classes, JsonNode group, ClassLoader classLoader) {
        String name = group.path("name").asString("");
        String typeName = group.path("type").asString("");
        if (!ROOT.isAncestorOf(ConfigurationPropertyName.of(name)) && !ROOT.toString().equals(name)
                || group.has("sourceMethod") || !ClassUtils.isPresent(typeName, classLoader)) {
            return;
        }
        Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
        MergedAnnotation<ConfigurationProperties> annotation = MergedAnnotations.from(type).get(ConfigurationProperties.class);
        if (annotation.isPresent() && name.equals(annotation.getString("prefix"))) {
            classes.add(new PropertiesClass(name, type));
        }
    }

    /**
     * Old key (and everything under it) to new key. A key listed here is reported even where it is
     * bindable again: agent-gateway.tools.timeout would now name a tool called "timeout".
     */
    private static Map<String, String> movedKeys() {
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("agent-gateway.tools.timeout", "agent-gateway.tool-execution.timeout");
        moved.put("agent-gateway.tools.max-iterations", "agent-gateway.tool-execution.max-iterations");
        moved.put("agent-gateway.resilience.agents", "agent-gateway.agents");
        moved.put("agent-gateway.resilience.tools", "agent-gateway.tools");
        return moved;
    }

    /**
     * Records every name the binder looked at, present in the environment or not: the names it
     * looked at under a name are exactly the keys allowed there.
     */
    static final class Recorder extends AbstractBindHandler {

        private final Set<ConfigurationPropertyName> looked = new HashSet<>();

        @Override
        public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
            looked.add(name);
            return target;
        }

        @Override
        public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error) {
            return null; // a bad value, not an unknown key: the real binding reports it
        }

        /** Whether the name was looked at, or is an element of a list the binder took from another source. */
        boolean looked(ConfigurationPropertyName name) {
            if (looked.contains(name)) {
                return true;
            }
            // a list bound from a source that outranks this one has no element at this index: judge the name by element 0
            for (int depth = name.getNumberOfElements() - 1; depth > 1; depth--) {
                ConfigurationPropertyName element = name.chop(depth);
                if (element.isLastElementIndexed() && looked.contains(element.getParent())) {
                    ConfigurationPropertyName first = element.getParent().append("[0]");
                    return looked.contains(first) && (depth == name.getNumberOfElements()
                            || looked.contains(first.append(name.subName(depth))));
                }
            }
            return false;
        }

        /** The allowed keys next to where {@code name} went wrong, the likeliest first. */
        String suggestion(ConfigurationPropertyName name) {
            ConfigurationPropertyName parent = name.getParent();
            while (!parent.isEmpty() && !looked.contains(parent)) {
                parent = parent.getParent();
            }
            String wrong = name.getElement(parent.getNumberOfElements(), ConfigurationPropertyName.Form.DASHED);
            List<String> siblings = new ArrayList<>();
            for (ConfigurationPropertyName candidate : looked) {
                if (parent.isParentOf(candidate) && !candidate.isLastElementIndexed()) {
                    siblings.add(candidate.getLastElement(ConfigurationPropertyName.Form.DASHED));
                }
            }
            if (siblings.isEmpty()) {
                return "no keys are allowed under " + parent;
            }
            siblings.sort(Comparator.comparingInt((String sibling) -> distance(sibling, wrong)).thenComparing(sibling -> sibling));
            String keys = "the keys under " + parent + " are " + String.join(", ", siblings);
            return distance(siblings.get(0), wrong) <= Math.max(2, wrong.length() / 3)
                    ? "did you mean " + parent.append(siblings.get(0)) + "? (" + keys + ")"
                    : keys;
        }

        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }
}
