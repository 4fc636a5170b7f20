package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.jpa.ApprovalEntity;
import dev.agentgateway.spring.persistence.jpa.BudgetEntity;
import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.CheckpointEntity;
import dev.agentgateway.spring.persistence.jpa.LeaseEntity;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochEntity;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordEntity;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the starter's entities to the application's persistence unit without taking over its
 * entity scanning: whatever Spring Boot scanned for the application (its {@code @EntityScan}
 * packages, or the packages of its {@code @SpringBootApplication}) stays as it is, and the
 * starter's entity classes are appended to the {@link PersistenceManagedTypes} bean that the
 * application's {@code EntityManagerFactory} is built from.
 *
 * <p>An application that builds its {@code EntityManagerFactory} itself, without that bean, adds
 * the package {@code dev.agentgateway.spring.persistence.jpa} to it, or switches the
 * starter's persistence off ({@code agent-gateway.persistence.enabled=false}).
 */
public class GatewayEntityTypesPostProcessor implements BeanPostProcessor {

    /** The starter's entity classes. */
    public static final List<String> ENTITY_CLASS_NAMES = List.of(CallRecordEntity.class.getName(),
            ToolCallRecordEntity.class.getName(), CheckpointEntity.class.getName(), BudgetEntity.class.getName(),
            LedgerEpochEntity.class.getName(), LeaseEntity.class.getName(),
            ApprovalEntity.class.getName());

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof PersistenceManagedTypes types && !types.getManagedClassNames().containsAll(ENTITY_CLASS_NAMES)) {
            return new WithGatewayEntities(types);
        }
        return bean;
    }

    /** The application's managed types plus the starter's entities. */
    private static final class WithGatewayEntities implements PersistenceManagedTypes {

        private final PersistenceManagedTypes application;
        private final List<String> classNames;

        WithGatewayEntities(PersistenceManagedTypes application) {
            this.application = application;
            List<String> names = new ArrayList<>(application.getManagedClassNames());
            ENTITY_CLASS_NAMES.stream().filter(name -> !names.contains(name)).forEach(names::add);
            this.classNames = List.copyOf(names);
        }

        @Override
        public List<String> getManagedClassNames() {
            return classNames;
        }

        @Override
        public List<String> getManagedPackages() {
            return application.getManagedPackages();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            return application.getPersistenceUnitRootUrl();
        }
    }
}
