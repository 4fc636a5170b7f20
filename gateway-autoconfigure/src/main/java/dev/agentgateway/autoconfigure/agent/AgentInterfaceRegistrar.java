package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.AgentDefinition;
import dev.agentgateway.spring.agent.AgentProxyFactoryBean;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link Agent} interfaces in the application's packages (those of its
 * {@code @SpringBootApplication}, as Spring Data finds repositories) and registers a proxy bean
 * for each, named by its agent id.
 */
public class AgentInterfaceRegistrar implements BeanDefinitionRegistryPostProcessor, BeanFactoryAware, EnvironmentAware,
        ResourceLoaderAware {

    private BeanFactory beanFactory;
    private Environment environment;
    private ResourceLoader resourceLoader;

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        if (!AutoConfigurationPackages.has(beanFactory)) {
            return;
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false, environment) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
            }
        };
        scanner.setResourceLoader(resourceLoader);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Agent.class, false, true));
        for (String basePackage : AutoConfigurationPackages.get(beanFactory)) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                register(registry, ClassUtils.resolveClassName(candidate.getBeanClassName(), resourceLoader.getClassLoader()));
            }
        }
    }

    private static void register(BeanDefinitionRegistry registry, Class<?> agentInterface) {
        Agent agent = MergedAnnotations.from(agentInterface).get(Agent.class).synthesize();
        String name = agent.value().isBlank() ? AgentDefinition.defaultId(agentInterface) : agent.value();
        if (registry.containsBeanDefinition(name)) {
            throw new IllegalStateException("Cannot register @Agent interface " + agentInterface.getName() + " as bean '"
                    + name + "': a bean of that name already exists");
        }
        RootBeanDefinition definition = new RootBeanDefinition(AgentProxyFactoryBean.class);
        definition.getConstructorArgumentValues().addGenericArgumentValue(agentInterface);
        definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, agentInterface);
        definition.setTargetType(agentInterface);
        registry.registerBeanDefinition(name, definition);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }
}
