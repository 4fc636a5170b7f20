package dev.agentgateway.autoconfigure;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md must list exactly the keys of the generated configuration metadata.
 * Regenerate it with {@code mvn -pl gateway-autoconfigure test -Dtest=ConfigurationReferenceTest -Ddocs.regenerate=true}.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Pattern KEY = Pattern.compile("^\\| `(agent-gateway\\.[^`]+)`", Pattern.MULTILINE);

    @Test
    void referenceListsEveryKeyOfTheMetadataAndNoOther() throws IOException {
        TreeMap<String, JsonNode> metadata = metadataKeys();
        if (Boolean.getBoolean("docs.regenerate")) {
            Files.writeString(REFERENCE, render(metadata), StandardCharsets.UTF_8);
        }
        Set<String> documented = new TreeSet<>();
        Matcher matcher = KEY.matcher(Files.readString(REFERENCE, StandardCharsets.UTF_8));
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        assertThat(metadata).isNotEmpty();
        assertThat(documented).as("keys in docs/configuration.md").containsExactlyInAnyOrderElementsOf(metadata.keySet());
    }

    @Test
    void everyKeyHasADescription() throws IOException {
        List<String> undocumented = new ArrayList<>();
        metadataKeys().forEach((name, property) -> {
            if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
                undocumented.add(name);
            }
        });
        assertThat(undocumented).as("properties without Javadoc").isEmpty();
    }

    private static TreeMap<String, JsonNode> metadataKeys() throws IOException {
        TreeMap<String, JsonNode> keys = new TreeMap<>();
        var resources = ConfigurationReferenceTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream in = resources.nextElement().openStream()) {
                JsonNode root = JsonMapper.builder().build().readTree(in);
                for (JsonNode property : root.path("properties")) {
                    String name = property.get("name").asString();
                    if (name.startsWith("agent-gateway.")) {
                        keys.put(name, property);
                    }
                }
            }
        }
        return keys;
    }

    private static String render(TreeMap<String, JsonNode> metadata) {
        StringBuilder doc = new StringBuilder("""
                # Configuration reference

                Every `agent-gateway.*` key, generated from the starter's configuration metadata (the same data
                your IDE completes from). A test fails when this page and the metadata disagree; regenerate it with
                `mvn -pl gateway-autoconfigure test -Dtest=ConfigurationReferenceTest -Ddocs.regenerate=true`.
                Keys with `*` are maps: put the agent, tenant, provider or model name there.

                | key | type | default | description |
                |---|---|---|---|
                """);
        metadata.forEach((name, property) -> doc.append("| `").append(name).append("` | ")
                .append(shortType(property.path("type").asString(""))).append(" | ")
                .append(property.has("defaultValue") ? "`" + property.get("defaultValue").toString().replace("\"", "") + "`" : "")
                .append(" | ").append(property.path("description").asString("").replace("\n", " ").replace("|", "\\|"))
                .append(" |\n"));
        return doc.append(MAP_ENTRIES).toString();
    }

    /** What goes inside the map and list entries, which the metadata describes only as a whole. */
    private static final String MAP_ENTRIES = """

            ## Inside map and list entries

            Keys below are relative to the map or list key above (replace `<id>` with the agent, tenant,
            provider or model name, `<name>` with a tool's name or a name pattern such as `github_*`;
            `[0]` with the position in the list).

            | under | key | what |
            |---|---|---|
            | `agents.<id>` | `provider`, `model`, `system-prompt` | the agent's provider, model and system prompt (override `@Agent`) |
            | `agents.<id>` | `allowed-tools` | tools granted to the agent (the only way, with `tool-access`, to let it use one); offered when its `@Agent` lists none |
            | `agents.<id>` | `max-steps`, `max-budget` | the agent's own step and USD limits |
            | `agents.<id>` | `max-iterations`, `temperature`, `max-tokens` | how its tool-calling runs are made |
            | `agents.<id>` | `fallbacks[0].provider`, `fallbacks[0].model` | the agent's own fallbacks, instead of `resilience.fallbacks` |
            | `agents.<id>` | `rate-limit.limit-for-period`, `rate-limit.refresh-period`, `rate-limit.timeout` | calls the agent may make per period |
            | `tools.<name>` | `rate-limit.limit-for-period`, `rate-limit.refresh-period`, `rate-limit.timeout` | runs of the tool per period (all agents together) |
            | `tools.<name>` | `max-calls-per-run`, `max-calls-per-agent` | calls of the tool in one run, and by one agent (counted per instance); past them the model reads `tool limit reached: …` |
            | `tools.<name>` | `cost-per-call`, `exempt-from-steps`, `max-result-size` | USD a call costs (reserved on the call's budgets), whether its turns leave `max-iterations` alone (needs `max-calls-per-run`), characters of its result before it is cut |
            | `tenants.<id>` | `max-steps`, `max-budget` | the tenant's limits (per window when `persistence.budget.tenant-window` is set) |
            | `providers.<id>` | `type` | which client serves an id that is not a known provider, e.g. `openai-compatible` |
            | `providers.<id>` | `api-key`, `base-url`, `model`, `timeout` | connection to the provider; the key is never logged or shown |
            | `pricing.<model>` | `input-per-million`, `output-per-million`, `cached-input-per-million`, `cache-write-per-million` | USD per million tokens (the cache prices default to the input price) |
            | `tool-access.rules[0]` | `tool`, `allowed-agents`, `denied-agents`, `require-approval` | one access rule (`*`, `?` wildcards) |
            | `resilience.fallbacks[0]` | `provider`, `model` | a fallback target, tried in order |

            IDEs complete the values of `default-provider`, `default-model`, `tool-access.default-policy` and
            the keys of `providers` and `pricing` (provider ids, the models of the built-in price table).
            Spring Boot's metadata cannot describe keys inside map entries, so `agents.<id>.provider` and
            `agents.<id>.model` are not completed.
            """;

    private static String shortType(String type) {
        return type.replaceAll("[a-z]+(\\.[a-z]+)*\\.", "").replace("<", "&lt;").replace(">", "&gt;").replace("$", ".");
    }
}
