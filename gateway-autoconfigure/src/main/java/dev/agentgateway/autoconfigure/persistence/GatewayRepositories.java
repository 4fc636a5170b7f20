package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.jpa.ApprovalEntity;
import dev.agentgateway.spring.persistence.jpa.ApprovalRepository;
import dev.agentgateway.spring.persistence.jpa.BudgetEntity;
import dev.agentgateway.spring.persistence.jpa.BudgetKey;
import dev.agentgateway.spring.persistence.jpa.BudgetRepository;
import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.CheckpointEntity;
import dev.agentgateway.spring.persistence.jpa.CheckpointId;
import dev.agentgateway.spring.persistence.jpa.CheckpointRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochEntity;
import dev.agentgateway.spring.persistence.jpa.LeaseEntity;
import dev.agentgateway.spring.persistence.jpa.LeaseKey;
import dev.agentgateway.spring.persistence.jpa.LeaseRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordRepository;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean;
import org.springframework.data.repository.Repository;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/**
 * The starter's repositories, and only those: the application's are Spring Boot's business. Each
 * is a bean of its own instead of the result of an {@code @EnableJpaRepositories} scan, because a
 * second scan shows in the application's start-up log as a second "Bootstrapping Spring Data JPA
 * repositories" round. Each backs off when the application's own scanning already covers this
 * package (an application whose base package is {@code dev.agentgateway}), so nothing is
 * registered twice. A repository added to the {@code jpa} package is added here too (a test
 * checks that every one of them is a bean).
 */
@Configuration(proxyBeanMethods = false)
class GatewayRepositories {

    @Bean
    @ConditionalOnMissingBean(CallRecordRepository.class)
    JpaRepositoryFactoryBean<CallRecordRepository, CallRecordEntity, Long> agentGatewayCallRecordRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(CallRecordRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(ToolCallRecordRepository.class)
    JpaRepositoryFactoryBean<ToolCallRecordRepository, ToolCallRecordEntity, Long> agentGatewayToolCallRecordRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(ToolCallRecordRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(CheckpointRepository.class)
    JpaRepositoryFactoryBean<CheckpointRepository, CheckpointEntity, CheckpointId> agentGatewayCheckpointRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(CheckpointRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(BudgetRepository.class)
    JpaRepositoryFactoryBean<BudgetRepository, BudgetEntity, BudgetKey> agentGatewayBudgetRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(BudgetRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(LedgerEpochRepository.class)
    JpaRepositoryFactoryBean<LedgerEpochRepository, LedgerEpochEntity, Integer> agentGatewayLedgerEpochRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(LedgerEpochRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(LeaseRepository.class)
    JpaRepositoryFactoryBean<LeaseRepository, LeaseEntity, LeaseKey> agentGatewayLeaseRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(LeaseRepository.class, entityManagerFactory);
    }

    @Bean
    @ConditionalOnMissingBean(ApprovalRepository.class)
    JpaRepositoryFactoryBean<ApprovalRepository, ApprovalEntity, String> agentGatewayApprovalRepository(
            EntityManagerFactory entityManagerFactory) {
        return repository(ApprovalRepository.class, entityManagerFactory);
    }

    private static <T extends Repository<S, ID>, S, ID> JpaRepositoryFactoryBean<T, S, ID> repository(
            Class<T> type, EntityManagerFactory entityManagerFactory) {
        JpaRepositoryFactoryBean<T, S, ID> factory = new JpaRepositoryFactoryBean<>(type);
        factory.setEntityManager(SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
        return factory;
    }
}
