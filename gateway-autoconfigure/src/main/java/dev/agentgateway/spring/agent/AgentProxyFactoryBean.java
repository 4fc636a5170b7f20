package dev.agentgateway.spring.agent;

import dev.agentgateway.spring.tool.ToolExecutorDecorator;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.Gateway;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

import java.lang.reflect.Proxy;

/** Makes the proxy of one {@link Agent} interface. */
public class AgentProxyFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

    private final Class<T> agentInterface;
    private BeanFactory beanFactory;

    public AgentProxyFactoryBean(Class<T> agentInterface) {
        this.agentInterface = agentInterface;
    }

    @Override
    public T getObject() {
        AgentInvocationHandler handler = new AgentInvocationHandler(agentInterface,
                () -> beanFactory.getBean(AgentRegistry.class).forType(agentInterface)
                        .orElseThrow(() -> new IllegalStateException("@Agent " + agentInterface.getName() + " is not registered")),
                () -> beanFactory.getBean(Gateway.class),
                () -> beanFactory.getBean(ToolRegistry.class),
                () -> toolExecutor(beanFactory));
        return agentInterface.cast(Proxy.newProxyInstance(agentInterface.getClassLoader(), new Class<?>[] {agentInterface}, handler));
    }

    /** The tool registry, wrapped by every {@link ToolExecutorDecorator} bean in order. */
    private static ToolExecutor toolExecutor(BeanFactory beanFactory) {
        ToolExecutor executor = beanFactory.getBean(ToolRegistry.class);
        for (ToolExecutorDecorator decorator : beanFactory.getBeanProvider(ToolExecutorDecorator.class).orderedStream().toList()) {
            executor = decorator.decorate(executor);
        }
        return executor;
    }

    @Override
    public Class<?> getObjectType() {
        return agentInterface;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }
}
