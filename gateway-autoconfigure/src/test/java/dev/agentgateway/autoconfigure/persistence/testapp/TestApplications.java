package dev.agentgateway.autoconfigure.persistence.testapp;

/**
 * The persistence tests' applications only come to life when started as the application: each is
 * conditional on {@value #PROPERTY} naming it. When another test's application scans this module's
 * packages, they stay out of its way (no second "scripted" client, no {@code @EntityScan}).
 */
public final class TestApplications {

    public static final String PROPERTY = "agent-gateway-test.application";

    private TestApplications() {
    }

    /** The property that switches on the application {@code name}. */
    public static String select(String name) {
        return PROPERTY + "=" + name;
    }
}
