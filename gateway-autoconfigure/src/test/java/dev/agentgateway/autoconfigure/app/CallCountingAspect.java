package dev.agentgateway.autoconfigure.app;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/** The application's own aspect around the Gateway bean. */
@Aspect
@Component
public class CallCountingAspect {

    final AtomicInteger gatewayCalls = new AtomicInteger();

    @Around("execution(* dev.agentgateway.core.Gateway.call*(..))")
    public Object count(ProceedingJoinPoint joinPoint) throws Throwable {
        gatewayCalls.incrementAndGet();
        return joinPoint.proceed();
    }
}
