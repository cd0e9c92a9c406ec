-- The KPU liaison's home page counted every facility's reconciliation with KPU's list
-- (`kpu_list_pairs`) on every render (0.6-0.8 s for 550 facilities). The group counts are
-- kept here instead, one row per facility with a stored list, rebuilt with
-- `facility_figures` for the facilities marked in `figures_stale`.
create table kpu_list_figures (
    election_id  bigint not null references elections (id) on delete cascade,
    facility_id  bigint not null references facilities (id) on delete cascade,
    kpu_only     integer not null,
    roll_only    integer not null,
    tps_differs  integer not null,
    name_differs integer not null,
    primary key (election_id, facility_id)
);

-- The counts follow the roll (voters), the TPS numbers (stations), the election's voting
-- day and region (elections): all already marked. KPU's list itself is marked here.
create trigger kpu_lists_stale_ins after insert on kpu_lists
    referencing new table as new_rows for each statement execute function mark_stale_by_facility();
create trigger kpu_lists_stale_upd after update on kpu_lists
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_facility();
create trigger kpu_lists_stale_del after delete on kpu_lists
    referencing old table as old_rows for each statement execute function mark_stale_by_facility();

create function mark_stale_by_kpu_list() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into figures_stale
        select distinct l.election_id, l.facility_id
        from (select distinct list_id from new_rows) n join kpu_lists l on l.id = n.list_id;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into figures_stale
        select distinct l.election_id, l.facility_id
        from (select distinct list_id from old_rows) o join kpu_lists l on l.id = o.list_id;
    end if;
    return null;
end;
$$;
create trigger kpu_list_entries_stale_ins after insert on kpu_list_entries
    referencing new table as new_rows for each statement execute function mark_stale_by_kpu_list();
create trigger kpu_list_entries_stale_upd after update on kpu_list_entries
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_kpu_list();
create trigger kpu_list_entries_stale_del after delete on kpu_list_entries
    referencing old table as old_rows for each statement execute function mark_stale_by_kpu_list();

-- Derived like the other figures: it raises no data generation.
create or replace function data_generation_exempt(t name) returns boolean language sql immutable as $$
    select t in (
        'facility_figures', 'province_figures', 'roll_figures', 'kpu_list_figures',
        'figures_stale', 'station_voting_day', 'province_voting_day',
        'audit_log', 'login_attempts', 'bench_fortunes',
        'roll_staging', 'region_staging',
        'data_generation', 'data_changes', '_sqlx_migrations'
    )
$$;

-- Build them for the lists already stored.
insert into figures_stale select election_id, facility_id from kpu_lists;
