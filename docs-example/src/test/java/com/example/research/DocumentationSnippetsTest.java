package com.example.research;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java, YAML and XML block of README.md and docs/*.md is cut from source this module
 * compiles and tests: the block is preceded by {@code <!-- snippet: docs-example/PATH#TAG -->} and
 * equals the lines between {@code tag::TAG[]} and {@code end::TAG[]} of that file (marker lines
 * left out, indentation made relative). Rewrite the blocks from their sources with
 * {@code mvn -pl docs-example -am test -Dtest=DocumentationSnippetsTest -Ddocs.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DocumentationSnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> CHECKED = Set.of("java", "yaml", "yml", "xml");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern SNIPPET = Pattern.compile("^<!-- snippet: (docs-example/\\S+?)#([\\w-]+) -->$");
    private static final Pattern MARKER = Pattern.compile("(tag|end)::[\\w-]+\\[]");

    @Test
    void everyJavaYamlAndXmlBlockOfTheDocsEqualsItsTaggedSource() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            List<String> rewritten = check(ROOT.relativize(page).toString(), lines, problems);
            if (Boolean.getBoolean("docs.regenerate") && !rewritten.equals(lines)) {
                Files.write(page, rewritten, StandardCharsets.UTF_8);
            }
        }
        assertThat(problems).as("snippets that are not their source").isEmpty();
    }

    @Test
    void aRegionLeavesOutMarkersOfOtherRegionsAndItsCommonIndentation() {
        List<String> source = List.of("class A {", "    // tag::outer[]", "    void a() {", "        // tag::inner[]",
                "        b();", "        // end::inner[]", "    }", "    // end::outer[]", "}");
        assertThat(region(source, "outer")).containsExactly("void a() {", "    b();", "}");
        assertThat(region(source, "inner")).containsExactly("b();");
    }

    @Test
    void aBlockWithoutItsSourceIsReported() {
        List<String> problems = new ArrayList<>();
        check("page.md", List.of("text", "```java", "int x;", "```"), problems);
        assertThat(problems).singleElement().asString().contains("page.md:2", "no <!-- snippet:");
    }

    /** Checks each fenced block of one page; returns the page with every block taken from its source. */
    private static List<String> check(String page, List<String> lines, List<String> problems) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.add(line);
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches() || fence.group(1).isEmpty()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            List<String> block = lines.subList(i + 1, Math.min(end, lines.size()));
            if (CHECKED.contains(fence.group(1))) {
                List<String> expected = expected(page, i, lines, problems);
                if (expected != null && !expected.equals(block)) {
                    problems.add(page + ":" + (i + 1) + ": differs from its source; expected\n" + String.join("\n", expected));
                }
                out.addAll(expected != null ? expected : block);
            } else {
                out.addAll(block);
            }
            if (end < lines.size()) {
                out.add(lines.get(end));
            }
            i = end;
        }
        return out;
    }

    private static List<String> expected(String page, int fenceLine, List<String> lines, List<String> problems) {
        Matcher snippet = fenceLine > 0 ? SNIPPET.matcher(lines.get(fenceLine - 1).strip()) : null;
        if (snippet == null || !snippet.matches()) {
            problems.add(page + ":" + (fenceLine + 1) + ": a ```" + FENCE.matcher(lines.get(fenceLine)).replaceAll("$1")
                    + " block with no <!-- snippet: docs-example/PATH#TAG --> line before it");
            return null;
        }
        Path source = ROOT.resolve(snippet.group(1));
        if (!Files.isRegularFile(source)) {
            problems.add(page + ":" + (fenceLine + 1) + ": no file " + snippet.group(1));
            return null;
        }
        List<String> region = region(read(source), snippet.group(2));
        if (region.isEmpty()) {
            problems.add(page + ":" + (fenceLine + 1) + ": no region tag::" + snippet.group(2) + "[] in " + snippet.group(1));
            return null;
        }
        return region;
    }

    /** The lines between the markers of {@code tag}, without any marker line, dedented. */
    static List<String> region(List<String> source, String tag) {
        List<String> region = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            if (line.contains("tag::" + tag + "[]")) {
                inside = true;
            } else if (line.contains("end::" + tag + "[]")) {
                break;
            } else if (inside && !MARKER.matcher(line).find()) {
                region.add(line);
            }
        }
        int indent = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        List<String> dedented = new ArrayList<>(region.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
        while (!dedented.isEmpty() && dedented.get(0).isEmpty()) {
            dedented.remove(0);
        }
        while (!dedented.isEmpty() && dedented.get(dedented.size() - 1).isEmpty()) {
            dedented.remove(dedented.size() - 1);
        }
        return dedented;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<String> read(Path path) {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
