-- KPU's list matched with a facility's active roll by NIK, written once: one row per NIK on
-- either list, with the reconciliation groups it falls in. The page's counts and its rows
-- both read this (a SQL function the planner inlines: the same plan as the query it holds).
create function kpu_list_pairs(p_election_id bigint, p_facility_id bigint, p_list_id bigint)
returns table (
    nik text,
    roll_name text,
    kpu_name text,
    roll_tps integer,
    kpu_tps integer,
    on_kpu boolean,
    matched boolean,
    kpu_only boolean,
    roll_only boolean,
    tps_differs boolean,
    name_differs boolean
)
language sql stable
as $$
    with roll as (
        select v.nik, v.name, s.tps_number, v.birth_date, v.marital_status,
               v.rights_revoked, v.release_date, v.nik_flag, v.home_region_code,
               e.voting_day, e.kind, e.region_code
        from voters v
        join elections e on e.id = v.election_id
        left join stations s on s.id = v.station_id
        where v.election_id = p_election_id and v.facility_id = p_facility_id
          and v.status = 'active' and v.nik is not null
    ), kpu as (
        select nik, name, tps from kpu_list_entries where list_id = p_list_id
    )
    select coalesce(k.nik, r.nik), r.name, k.name, r.tps_number, k.tps,
           k.nik is not null,
           k.nik is not null and r.nik is not null,
           r.nik is null,
           k.nik is null
               and cardinality(voter_reasons(r.birth_date, r.marital_status, r.rights_revoked,
                   r.release_date, r.nik, r.nik_flag, r.home_region_code,
                   r.voting_day, r.kind, r.region_code)) = 0,
           k.nik is not null and r.nik is not null and r.tps_number is distinct from k.tps,
           k.nik is not null and r.nik is not null and r.name <> k.name
               and regexp_replace(lower(r.name), '[^a-z0-9]+', '', 'g')
                   <> regexp_replace(lower(k.name), '[^a-z0-9]+', '', 'g')
    from kpu k full join roll r on r.nik = k.nik
$$;
