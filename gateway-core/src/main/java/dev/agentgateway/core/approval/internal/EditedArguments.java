package dev.agentgateway.core.approval.internal;

import dev.agentgateway.core.approval.InvalidApprovalDecisionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Checks the arguments an approver edited before they are stored: a tool takes a JSON object, nothing else. */
public final class EditedArguments {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private EditedArguments() {
    }

    /**
     * @return the arguments as compact JSON
     * @throws InvalidApprovalDecisionException when they are missing, not JSON, or not an object
     */
    public static String checked(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            throw new InvalidApprovalDecisionException("edited arguments are missing: send the tool's arguments as a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(arguments);
        } catch (JacksonException e) {
            throw new InvalidApprovalDecisionException("edited arguments are not valid JSON (" + e.getOriginalMessage()
                    + "): send the tool's arguments as a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidApprovalDecisionException("edited arguments must be a JSON object, were " + node);
        }
        return JSON.writeValueAsString(node);
    }
}
