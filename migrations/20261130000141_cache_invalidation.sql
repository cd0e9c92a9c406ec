-- What the server processes' in-memory caches need from the database (see README, "Caches").
--
-- 1. Sessions and users are cached in each process; every change that must end or alter a
--    session reaches every process by NOTIFY, sent when the writing transaction commits:
--    `loksus_session` (payload: the session id) when a session is saved again or deleted,
--    `loksus_user` (payload: the user id, or `*` for all) when a user row changes, or a
--    facility or region name that a user's scope shows.
--
-- 2. Rendered report pages are cached per data generation: `data_generation` is raised once
--    by every transaction that wrote to a table the pages read (every table below but the
--    derived and the private ones), at its commit, so a process reading the generation knows
--    whether a page it holds is still what it would render now.

-- The session store's table, created here so that it can carry its trigger (the store's own
-- `migrate` creates the same table only if it is missing).
create schema if not exists tower_sessions;
create table if not exists tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);

create function notify_session_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('loksus_session', o.id) from old_rows o;
    return null;
end;
$$;
create trigger session_changed_upd after update on tower_sessions.session
    referencing old table as old_rows for each statement execute function notify_session_change();
create trigger session_changed_del after delete on tower_sessions.session
    referencing old table as old_rows for each statement execute function notify_session_change();

create function notify_user_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('loksus_user', o.id::text) from old_rows o;
    return null;
end;
$$;
create trigger users_changed_upd after update on users
    referencing old table as old_rows for each statement execute function notify_user_change();
create trigger users_changed_del after delete on users
    referencing old table as old_rows for each statement execute function notify_user_change();

-- A user's scope shows its facility's or province's name.
create function notify_all_users_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('loksus_user', '*');
    return null;
end;
$$;
create trigger facilities_users_changed after update or delete on facilities
    for each statement execute function notify_all_users_change();
create trigger regions_users_changed after update or delete on regions
    for each statement execute function notify_all_users_change();

-- The data generation, one row.
create table data_generation (
    only_row boolean primary key default true check (only_row),
    generation bigint not null
);
insert into data_generation values (true, 0);

-- The transactions that wrote data and have not committed yet, one row each: a statement
-- trigger notes its transaction here (no lock shared with other writers), and a deferred
-- trigger raises the generation once, at commit, holding the generation's row lock only for
-- the commit itself.
create table data_changes (
    txid xid8 primary key
);

create function note_data_change() returns trigger language plpgsql as $$
begin
    insert into data_changes values (pg_current_xact_id()) on conflict do nothing;
    return null;
end;
$$;

create function raise_data_generation() returns trigger language plpgsql as $$
begin
    delete from data_changes where txid = new.txid;
    update data_generation set generation = generation + 1;
    return null;
end;
$$;
create constraint trigger data_changes_commit after insert on data_changes
    deferrable initially deferred for each row execute function raise_data_generation();

-- Every table but these raises the generation. Derived tables are rebuilt from tables that
-- do (and a page's read rebuilds them before rendering); the others are not on any page.
create function data_generation_exempt(t name) returns boolean language sql immutable as $$
    select t in (
        'facility_figures', 'province_figures', 'figures_stale',
        'station_voting_day', 'province_voting_day',
        'audit_log', 'login_attempts', 'bench_fortunes',
        'roll_staging', 'region_staging',
        'data_generation', 'data_changes', '_sqlx_migrations'
    )
$$;

do $$
declare
    t name;
begin
    for t in
        select tablename from pg_tables
        where schemaname = 'public' and not data_generation_exempt(tablename)
    loop
        execute format(
            'create trigger %I after insert or update or delete or truncate on %I
                 for each statement execute function note_data_change()',
            t || '_data_changed', t);
    end loop;
end;
$$;
