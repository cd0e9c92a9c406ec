-- Reports: pre-aggregated figures per facility, kept exact by marking what changed, and
-- KPU's final voter lists for reconciliation.

-- Figures per facility and election that are costly to count live (the roll's eligibility,
-- readiness and ballots need every voter). Rebuilt from the rows for every facility marked
-- in `figures_stale` before a report reads them (`reports::figures::ensure_fresh`).
create table facility_figures (
    election_id                 bigint not null references elections (id) on delete cascade,
    facility_id                 bigint not null references facilities (id) on delete cascade,
    stations                    integer not null,
    stations_ready              integer not null,
    dpt                         integer not null,
    dptb                        integer not null,
    dpk                         integer not null,
    shortage_stations           integer not null,
    shortage_ballots            bigint not null,
    roll_voters                 integer not null,
    roll_eligible               integer not null,
    roll_under_age              integer not null,
    roll_rights_revoked         integer not null,
    roll_released               integer not null,
    roll_no_valid_nik           integer not null,
    roll_unregistered           integer not null,
    roll_unregistered_detainees integer not null,
    refreshed_at                timestamptz not null default now(),
    primary key (election_id, facility_id)
);

-- What changed since the figures were built: a facility, or (facility_id null) a whole
-- election. Written by statement triggers in the writer's own transaction.
create table figures_stale (
    election_id bigint not null,
    facility_id bigint
);

create function mark_stale_by_facility() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into figures_stale select distinct election_id, facility_id from new_rows;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into figures_stale select distinct election_id, facility_id from old_rows;
    end if;
    return null;
end;
$$;

create function mark_stale_by_station() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into figures_stale
        select distinct s.election_id, s.facility_id
        from new_rows n join stations s on s.id = n.station_id;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into figures_stale
        select distinct s.election_id, s.facility_id
        from old_rows o join stations s on s.id = o.station_id;
    end if;
    return null;
end;
$$;

create function mark_stale_by_election() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into figures_stale select distinct election_id, null::bigint from new_rows;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into figures_stale select distinct election_id, null::bigint from old_rows;
    end if;
    return null;
end;
$$;

create trigger voters_stale_ins after insert on voters
    referencing new table as new_rows for each statement execute function mark_stale_by_facility();
create trigger voters_stale_upd after update on voters
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_facility();
create trigger voters_stale_del after delete on voters
    referencing old table as old_rows for each statement execute function mark_stale_by_facility();

create trigger stations_stale_ins after insert on stations
    referencing new table as new_rows for each statement execute function mark_stale_by_facility();
create trigger stations_stale_upd after update on stations
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_facility();
create trigger stations_stale_del after delete on stations
    referencing old table as old_rows for each statement execute function mark_stale_by_facility();

create trigger station_readiness_stale_ins after insert on station_readiness
    referencing new table as new_rows for each statement execute function mark_stale_by_station();
create trigger station_readiness_stale_upd after update on station_readiness
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_station();
create trigger station_ballots_stale_ins after insert on station_ballots
    referencing new table as new_rows for each statement execute function mark_stale_by_station();
create trigger station_ballots_stale_upd after update on station_ballots
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_station();

create trigger dapil_regions_stale_ins after insert on dapil_regions
    referencing new table as new_rows for each statement execute function mark_stale_by_election();
create trigger dapil_regions_stale_del after delete on dapil_regions
    referencing old table as old_rows for each statement execute function mark_stale_by_election();
create trigger readiness_items_stale_ins after insert on readiness_items
    referencing new table as new_rows for each statement execute function mark_stale_by_election();
create trigger readiness_items_stale_upd after update on readiness_items
    referencing old table as old_rows new table as new_rows
    for each statement execute function mark_stale_by_election();
create trigger readiness_items_stale_del after delete on readiness_items
    referencing old table as old_rows for each statement execute function mark_stale_by_election();

-- An election's voting day, cap or reserve changes every figure of it.
create function mark_stale_election() returns trigger language plpgsql as $$
begin
    insert into figures_stale values (new.id, null);
    return null;
end;
$$;
create trigger elections_stale after insert or update on elections
    for each row execute function mark_stale_election();

-- KPU's final voter list (DPT) for a facility, as uploaded for reconciliation. Only the
-- latest list per facility and election is kept.
create table kpu_lists (
    id          bigint generated always as identity primary key,
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id) on delete cascade,
    user_id     bigint references users (id),
    filename    text not null,
    rows        integer not null,
    uploaded_at timestamptz not null default now(),
    unique (election_id, facility_id)
);

create table kpu_list_entries (
    list_id bigint not null references kpu_lists (id) on delete cascade,
    line    integer not null,
    nik     text not null check (nik ~ '^[0-9]{16}$'),
    name    text not null,
    tps     integer not null check (tps between 1 and 9999),
    primary key (list_id, nik)
);
