package dev.agentgateway.spring.persistence;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/** How often tenant budgets (and their step counts) start again from zero. */
public enum BudgetWindow {

    /** Tenant usage never resets. */
    NONE,

    /** Tenant usage starts from zero every day (in the configured zone). */
    DAILY,

    /** Tenant usage starts from zero on the first day of every month (in the configured zone). */
    MONTHLY;

    /** The key of the window {@code clock} is in: {@code "-"}, {@code 2025-06-01} or {@code 2025-06}. */
    public String currentKey(Clock clock, ZoneId zone) {
        return switch (this) {
            case NONE -> "-";
            case DAILY -> LocalDate.ofInstant(clock.instant(), zone).toString();
            case MONTHLY -> YearMonth.from(LocalDate.ofInstant(clock.instant(), zone)).toString();
        };
    }
}
