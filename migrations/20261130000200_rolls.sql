-- One foreign key instead of two on every voter (issue 17, import speed). PostgreSQL checks
-- a foreign key row by row on insert (a query and a row lock each); `voters.election_id`
-- and `voters.facility_id` were two such checks per row, about a sixth of a roll import's
-- time. `rolls` holds one row for every (election, facility) pair, kept by the triggers
-- below, and voters reference the pair: one check per row, and the same guarantee (a voter's
-- election and facility exist), since a `rolls` row exists exactly when both do.
create table rolls (
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id),
    primary key (election_id, facility_id)
);

-- Each trigger first takes a lock that the other waits for, so an election and a facility
-- created at the same time still see each other (the insert's snapshot is taken after the
-- lock). Reading `rolls` (a voter's key check) does not wait for it.
create function rolls_for_new_elections() returns trigger language plpgsql as $$
begin
    lock table rolls in share row exclusive mode;
    insert into rolls select n.id, f.id from new_rows n cross join facilities f;
    return null;
end;
$$;

create function rolls_for_new_facilities() returns trigger language plpgsql as $$
begin
    lock table rolls in share row exclusive mode;
    insert into rolls select e.id, n.id from new_rows n cross join elections e;
    return null;
end;
$$;

create trigger elections_rolls after insert on elections
    referencing new table as new_rows for each statement execute function rolls_for_new_elections();
create trigger facilities_rolls after insert on facilities
    referencing new table as new_rows for each statement execute function rolls_for_new_facilities();

-- Derived from elections and facilities, which raise the data generation themselves; the
-- trigger keeps the rule that every table but the listed ones raises it.
create trigger rolls_data_changed after insert or update or delete or truncate on rolls
    for each statement execute function note_data_change();

insert into rolls select e.id, f.id from elections e cross join facilities f;

-- Deleting an election still deletes its voters (through its rolls); deleting a facility is
-- refused while any election exists (before: while it had voters; no part of Loksus deletes
-- facilities).
alter table voters
    drop constraint voters_election_id_fkey,
    drop constraint voters_facility_id_fkey,
    add constraint voters_roll_fkey foreign key (election_id, facility_id)
        references rolls (election_id, facility_id) on delete cascade;
