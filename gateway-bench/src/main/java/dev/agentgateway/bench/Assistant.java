package dev.agentgateway.bench;

/** The LangChain4j AI service of the benchmark: one method, a user message in, the answer's text out. */
public interface Assistant {

    String chat(String userMessage);
}
