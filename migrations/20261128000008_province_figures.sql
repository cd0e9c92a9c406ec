-- Province totals of `facility_figures`, rebuilt together with them, so the national
-- dashboard reads one row per province instead of summing every facility per request.
create table province_figures (
    election_id                 bigint not null references elections (id) on delete cascade,
    province_code               text not null references regions (code),
    facilities                  integer not null,
    inmates                     bigint not null,
    stations                    integer not null,
    stations_ready              integer not null,
    dpt                         bigint not null,
    dptb                        bigint not null,
    dpk                         bigint not null,
    shortage_stations           integer not null,
    shortage_ballots            bigint not null,
    roll_voters                 bigint not null,
    roll_eligible               bigint not null,
    roll_under_age              bigint not null,
    roll_rights_revoked         bigint not null,
    roll_released               bigint not null,
    roll_no_valid_nik           bigint not null,
    roll_unregistered           bigint not null,
    roll_unregistered_detainees bigint not null,
    primary key (election_id, province_code)
);

-- A facility added, removed or edited (its recorded inmates count in the figures) changes
-- its province's totals in every election.
create function mark_stale_facilities() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into figures_stale select e.id, n.id from elections e cross join new_rows n;
    end if;
    if tg_op = 'DELETE' then
        insert into figures_stale select e.id, null::bigint from elections e;
    end if;
    return null;
end;
$$;
create trigger facilities_stale_ins after insert on facilities
    referencing new table as new_rows for each statement execute function mark_stale_facilities();
create trigger facilities_stale_upd after update on facilities
    referencing new table as new_rows for each statement execute function mark_stale_facilities();
create trigger facilities_stale_del after delete on facilities
    referencing old table as old_rows for each statement execute function mark_stale_facilities();

-- Build the province rows for what is already there.
insert into figures_stale select id, null from elections;
