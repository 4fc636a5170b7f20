package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spring AI's own error handler ({@code RetryUtils.DEFAULT_RESPONSE_ERROR_HANDLER}) keeps only
 * {@code "<status> - <body>"} in the message of a (Non)TransientAiException; the status is read
 * back from there. Headers are lost, so no Retry-After.
 */
final class SpringAiRetryErrorTranslator implements ProviderErrorTranslator {

    private static final Pattern STATUS = Pattern.compile("^\\s*(\\d{3})\\b\\s*-?\\s*(.*)$", Pattern.DOTALL);

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        boolean transientFailure = failure instanceof TransientAiException;
        if (!transientFailure && !(failure instanceof NonTransientAiException)) {
            return null;
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        Matcher matcher = STATUS.matcher(message);
        if (matcher.matches()) {
            return errors.forStatus(provider, Integer.parseInt(matcher.group(1)), null, matcher.group(2), failure);
        }
        if (transientFailure) {
            return new ProviderServerException(provider, 0, "Provider '" + provider + "' failed: " + errors.clean(message),
                    errors.redactor().safeCause(failure));
        }
        return null;
    }
}
