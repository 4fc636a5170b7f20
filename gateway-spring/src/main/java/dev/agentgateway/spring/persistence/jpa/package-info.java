/**
 * The starter's JPA entities and Spring Data repositories. They join the application's own
 * persistence unit (see {@code GatewayEntityTypesPostProcessor}) and are registered by their own
 * {@code @EnableJpaRepositories}, so the application's entities and repositories keep working
 * unchanged. Every table is prefixed {@code agw_}.
 */
package dev.agentgateway.spring.persistence.jpa;
