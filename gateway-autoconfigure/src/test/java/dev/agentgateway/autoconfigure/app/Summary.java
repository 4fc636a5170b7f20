package dev.agentgateway.autoconfigure.app;

public record Summary(String title, int words) {
}
