-- The application's own first migration, numbered as an application numbers them: the gateway's repeatable
-- script beside it has no version to collide with.
create table app_order (id bigint not null, agw_call_id bigint, primary key (id));
