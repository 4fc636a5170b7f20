package dev.agentgateway.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call path logs under the {@code Gateway}'s name, as it did when it was one class, so log
 * levels and filters that operators set for {@code dev.agentgateway.core.Gateway} keep working.
 */
final class GatewayLog {

    static final Logger LOG = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private GatewayLog() {
    }
}
