package dev.agentgateway.spring.persistence;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How a {@link JpaBudgetLedger} shares budgets between instances.
 *
 * @param tenantWindow       when tenant budgets start again from zero
 * @param windowZone         the zone in which daily and monthly windows begin
 * @param maxReserveAttempts how often a reservation is tried again when concurrent changes keep it from deciding
 * @param leaseTime          how long a dead instance's reservations and slices stay held; {@code null} for
 *                           the longest call time-out plus {@link JpaBudgetLedger#LEASE_MARGIN}
 * @param instanceId         this instance's name in its leases; {@code null} for the JVM's "pid@host"
 * @param maxSliceCalls      the most calls one leased slice may serve (1: every reservation from the database)
 * @param writeInterval      how often settled usage is written and leases renewed; zero or {@code null}: no background writer
 * @param sliceIdleTime      a slice unused for this long is given back
 */
public record BudgetLedgerSettings(BudgetWindow tenantWindow, ZoneId windowZone, int maxReserveAttempts,
                                   Duration leaseTime, String instanceId, int maxSliceCalls, Duration writeInterval,
                                   Duration sliceIdleTime) {
}
