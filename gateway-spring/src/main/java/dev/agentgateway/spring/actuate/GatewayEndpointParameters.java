package dev.agentgateway.spring.actuate;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;

import java.util.List;
import java.util.Set;

/**
 * Refuses with {@code 400} a request to one of the gateway's endpoints that names a parameter the
 * operation does not have ({@code ?agent=} where the filter is {@code agentId}, a misspelt key of a
 * write operation's body): Actuator would otherwise drop it and answer as if it were not there, so
 * a mistyped filter would silently show everything.
 */
public class GatewayEndpointParameters implements OperationInvokerAdvisor {

    private static final Set<EndpointId> GATEWAY_ENDPOINTS =
            Set.of(EndpointId.of("agentgateway"), EndpointId.of("agentcalls"), EndpointId.of("agentcheckpoints"),
                    EndpointId.of("agentapprovals"));

    @Override
    public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
                                  OperationInvoker invoker) {
        if (!GATEWAY_ENDPOINTS.contains(endpointId)) {
            return invoker;
        }
        List<String> names = parameters.stream().map(OperationParameter::getName).toList();
        return context -> {
            for (String argument : context.getArguments().keySet()) {
                if (!names.contains(argument)) {
                    throw unknown(endpointId, argument, names);
                }
            }
            return invoker.invoke(context);
        };
    }

    private static InvalidEndpointRequestException unknown(EndpointId endpointId, String argument, List<String> names) {
        String message = "Unknown parameter '" + argument + "' of /" + endpointId
                + (names.isEmpty() ? ": this operation takes none" : ": it takes " + String.join(", ", names));
        return new InvalidEndpointRequestException(message, message);
    }
}
