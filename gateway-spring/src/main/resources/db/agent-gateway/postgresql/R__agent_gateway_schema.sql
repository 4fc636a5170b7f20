-- Agent Gateway schema for PostgreSQL: call history, checkpoints, approvals and the shared budget ledger.
-- The one script of this database, run three ways: by the starter at start-up when
-- agent-gateway.jdbc.initialize-schema allows it (by default only for an embedded database); by Flyway as a
-- repeatable migration when the application adds classpath:db/agent-gateway/{vendor} to spring.flyway.locations;
-- by Liquibase from classpath:db/agent-gateway/changelog.yaml. Every statement only creates what is missing, so
-- running the script again, or after another of the three, is safe.

create sequence if not exists agw_call_seq start with 1 increment by 50;

create sequence if not exists agw_tool_call_seq start with 1 increment by 50;

-- One row per provider call (successful or not); request and response as JSON.
create table if not exists agw_call (
    id bigint not null,
    call_id varchar(128),
    agent_id varchar(255) not null,
    provider varchar(128),
    model varchar(255),
    workflow_id varchar(255),
    step integer,
    tenant varchar(255),
    created_at timestamp(6) with time zone not null,
    success boolean not null,
    error text,
    error_type varchar(255),
    cost numeric(30,12) not null,
    priced boolean not null,
    latency_ms double precision not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    attempt integer not null,
    request_json text,
    response_json text,
    primary key (id)
);

create index if not exists agw_call_created_idx on agw_call (created_at);
create index if not exists agw_call_agent_idx on agw_call (agent_id, created_at);
create index if not exists agw_call_workflow_idx on agw_call (workflow_id, created_at);
create index if not exists agw_call_tenant_idx on agw_call (tenant, created_at);

-- Columns added after agw_call was first released: added here rather than in "create table", so that a
-- database made by an earlier script gets them when the script runs again.
-- What refused the call (CallRecord.refusedBy), null when nothing did.
alter table agw_call add column if not exists refused_by varchar(255);
-- USD the call cost beyond its reservation (CallRecord.overrun), zero when it kept within it.
alter table agw_call add column if not exists overrun numeric(30,12) default 0 not null;

-- One row per tool call of a tool-calling run.
create table if not exists agw_tool_call (
    id bigint not null,
    created_at timestamp(6) with time zone not null,
    agent_id varchar(255) not null,
    workflow_id varchar(255),
    tenant varchar(255),
    tool_call_id varchar(255),
    tool_name varchar(255) not null,
    arguments text,
    outcome varchar(32) not null,
    success boolean not null,
    result text,
    duration_ms bigint not null,
    primary key (id)
);

create index if not exists agw_tool_call_created_idx on agw_tool_call (created_at);
create index if not exists agw_tool_call_agent_idx on agw_tool_call (agent_id, created_at);
create index if not exists agw_tool_call_workflow_idx on agw_tool_call (workflow_id, created_at);
create index if not exists agw_tool_call_tenant_idx on agw_tool_call (tenant, created_at);

-- One row per workflow run and step; a later save of the same step replaces it.
create table if not exists agw_checkpoint (
    workflow_id varchar(255) not null,
    step integer not null,
    agent_id varchar(255),
    created_at timestamp(6) with time zone not null,
    finished boolean not null,
    resumable boolean not null,
    state_json text,
    metrics_json text,
    messages_json text,
    pending_tool_calls_json text,
    completed_tool_results_json text,
    run_json text,
    primary key (workflow_id, step)
);

-- Committed and reserved steps and spend per scope (GLOBAL, AGENT, WORKFLOW, TENANT) and window
-- ('-' when usage never resets, else the day or month of a tenant budget window).
create table if not exists agw_budget (
    scope_type varchar(16) not null,
    scope_id varchar(255) not null,
    window_key varchar(16) not null,
    epoch bigint not null,
    committed_steps bigint not null,
    reserved_steps bigint not null,
    committed_cost numeric(30,12) not null,
    reserved_cost numeric(30,12) not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    failed_calls bigint not null,
    updated_at timestamp(6) with time zone not null,
    primary key (scope_type, scope_id, window_key)
);

-- Columns added after agw_budget was first released (a database made by an earlier script gets them here).
-- How often an instance was refused while others held slices of the row: holders give back what they have
-- not used when they see it grow.
alter table agw_budget add column if not exists slices_wanted bigint default 0 not null;

-- The ledger's epoch: a reset increments it, so reservations from before the reset are ignored.
create table if not exists agw_ledger_epoch (
    id integer not null,
    epoch bigint not null,
    primary key (id)
);

insert into agw_ledger_epoch (id, epoch) select 1, 0 where not exists (select 1 from agw_ledger_epoch where id = 1);

-- Steps and money an instance holds on a row of agw_budget until expires_at (agw_budget.reserved_* include
-- them): a slice of a scope's remaining budget that the instance serves calls from (lease ids ending in
-- '/slice', renewed while the instance lives), or the reservation of one call of a workflow run. Deleted
-- when given back or settled; when its instance died, any instance deletes it after it expired and gives it back.
create table if not exists agw_lease (
    lease_id varchar(255) not null,
    scope_type varchar(16) not null,
    scope_id varchar(255) not null,
    window_key varchar(16) not null,
    instance_id varchar(128) not null,
    epoch bigint not null,
    steps bigint not null,
    amount numeric(30,12) not null,
    expires_at timestamp(6) with time zone not null,
    created_at timestamp(6) with time zone not null,
    primary key (lease_id, scope_type, scope_id, window_key)
);

create index if not exists agw_lease_expires_idx on agw_lease (expires_at);

-- One row per tool call waiting for (or given) a person's approval; the paused run is in agw_checkpoint.
-- state: PENDING, DECIDED, RESUMING (claimed_by resumes the run), DONE. Decisions and claims are conditional
-- updates on state, so an approval is decided once and a run resumed by one instance.
create table if not exists agw_approval (
    id varchar(64) not null,
    workflow_id varchar(255) not null,
    agent_id varchar(255),
    tenant varchar(255),
    tool_call_id varchar(255) not null,
    tool_name varchar(255) not null,
    arguments text,
    requested_at timestamp(6) with time zone not null,
    expires_at timestamp(6) with time zone not null,
    state varchar(16) not null,
    verdict varchar(32),
    edited_arguments text,
    reason text,
    decided_by varchar(255),
    decided_at timestamp(6) with time zone,
    claimed_by varchar(255),
    claimed_at timestamp(6) with time zone,
    primary key (id)
);

create unique index if not exists agw_approval_tool_call_idx on agw_approval (workflow_id, tool_call_id);
create index if not exists agw_approval_state_idx on agw_approval (state, requested_at);
