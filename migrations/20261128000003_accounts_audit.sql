-- Accounts with a role and a scope, login attempts for throttling, and the audit log.

create table users (
    id            bigint generated always as identity primary key,
    username      text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    password_hash text not null,
    role          text not null check (role in ('admin', 'kanwil', 'registrar', 'kpu')),
    -- kanwil: its province; kpu: its province, or none for a national liaison.
    province_code text references regions (code) check (length(province_code) = 2),
    -- registrar: its facility.
    facility_id   bigint references facilities (id) on delete restrict,
    active        boolean not null default true,
    -- Raised on password reset and deactivation: sessions of an older epoch stop working.
    auth_epoch    integer not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    check (case role
               when 'admin' then province_code is null and facility_id is null
               when 'kanwil' then province_code is not null and facility_id is null
               when 'registrar' then province_code is null and facility_id is not null
               when 'kpu' then facility_id is null
           end)
);
create index users_facility_idx on users (facility_id);
create trigger users_updated_at before update on users
    for each row execute function set_updated_at();

create table login_attempts (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    username    text not null,
    client_addr text not null,
    success     boolean not null
);
create index login_attempts_username_idx on login_attempts (username, at) where not success;
create index login_attempts_addr_idx on login_attempts (client_addr, at) where not success;

-- Every write, in the same transaction as the write itself.
create table audit_log (
    id           bigint generated always as identity primary key,
    at           timestamptz not null default now(),
    user_id      bigint references users (id),
    actor        text not null,
    client_addr  text,
    action       text not null,
    object_type  text,
    object_id    text,
    province_code text references regions (code),
    facility_id  bigint references facilities (id),
    before       jsonb,
    after        jsonb
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_province_idx on audit_log (province_code, at desc);
create index audit_log_facility_idx on audit_log (facility_id, at desc);
create index audit_log_user_idx on audit_log (user_id, at desc);

-- The log is append-only.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each statement execute function audit_log_append_only();
