package dev.agentgateway.sample.tools;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The small document corpus shipped with the app ({@code classpath:corpus/*.md}). */
@Component
public class DocumentCorpus {

    /** One document: its title (first heading) and text. */
    public record Document(String name, String title, String text) {
    }

    /** A search hit with its score and the opening of the document. */
    public record Hit(String document, String title, int score, String excerpt) {
    }

    private final List<Document> documents = new ArrayList<>();

    public DocumentCorpus() {
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:corpus/*.md")) {
                String text = resource.getContentAsString(StandardCharsets.UTF_8);
                String title = text.lines().findFirst().orElse(resource.getFilename()).replaceFirst("^#+\\s*", "");
                documents.add(new Document(resource.getFilename(), title, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the document corpus", e);
        }
    }

    /** Documents ranked by how often the query's words (of four letters or more) occur in them. */
    public List<Hit> search(String query, int limit) {
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\W+")).stream()
                .filter(word -> word.length() >= 4).toList();
        List<Hit> hits = new ArrayList<>();
        for (Document document : documents) {
            String text = document.text().toLowerCase(Locale.ROOT);
            int score = words.stream().mapToInt(word -> occurrences(text, word)).sum();
            if (score > 0) {
                hits.add(new Hit(document.name(), document.title(), score, excerpt(document.text())));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::score).reversed().thenComparing(Hit::document));
        return hits.subList(0, Math.min(limit, hits.size()));
    }

    public int size() {
        return documents.size();
    }

    private static int occurrences(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }

    private static String excerpt(String text) {
        String body = text.lines().skip(1).filter(line -> !line.isBlank()).findFirst().orElse("");
        return body.length() > 280 ? body.substring(0, 280) + "…" : body;
    }
}
