package dev.agentgateway.spring.agent;

import dev.agentgateway.spring.tool.RunToolExecutors;
import dev.agentgateway.spring.tool.ToolExecutorDecorator;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.spring.tool.ToolRunContext;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.Gateway;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

import java.lang.reflect.Proxy;
import java.util.function.Function;

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
                () -> toolExecutors(beanFactory),
                () -> new AgentCaller(beanFactory.getBeanProvider(TenantResolver.class).getIfAvailable(),
                        beanFactory.getBeanProvider(TenantSettings.class).getIfAvailable(TenantSettings::none)));
        return agentInterface.cast(Proxy.newProxyInstance(agentInterface.getClassLoader(), new Class<?>[] {agentInterface}, handler));
    }

    /** The tool registry bound to one run, wrapped by every {@link ToolExecutorDecorator} bean in order. */
    private static Function<ToolRunContext, ToolExecutor> toolExecutors(BeanFactory beanFactory) {
        return RunToolExecutors.of(beanFactory.getBean(ToolRegistry.class),
                beanFactory.getBeanProvider(ToolExecutorDecorator.class).orderedStream().toList());
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
